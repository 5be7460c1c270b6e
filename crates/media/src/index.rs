//! The PDQ near-match index: multi-index hashing (Norouzi et al.) with the generalised pigeonhole principle,
//! and a flat scan for small sets and for distances where probing would cost more than scanning.
//!
//! The 256 bits are cut into 12 slots (four of 22 bits, eight of 21). Each slot `i` gets a radius `t_i` with
//! `Σ (t_i + 1) = d + 1`: if two hashes are within `d`, at least one slot differs by at most its radius (else
//! they would differ by `Σ (t_i + 1) > d`). For d = 31 that is radius 2 on eight slots and 1 on four. A query
//! probes, in each slot's table, every value within the slot's radius and checks each candidate's full
//! distance. Compared with the classic 16 slots of 16 bits at radius 1, this reads about a fifth of the
//! candidates, which is what decides the speed at millions of hashes (measured with `bench/media`).
//! Slot tables are id lists sorted by slot value (one counting sort per slot), so a probe is one contiguous run.

use crate::pdq::PdqHash;

/// Below this many hashes a flat scan is used: it needs no tables (the slot tables' offsets alone take
/// 128 MiB) and costs about 31 ns per stored hash for an 8-variant query (measured with `bench/media`), so at
/// most about 1.5 ms per image here; above it probing wins by more and more (under 10 ms at 10 million).
const FLAT_BELOW: usize = 50_000;

/// Candidates carry their id in 29 bits (and the query in 3), so larger sets are scanned.
const MAX_TABLED: usize = 1 << 29;

/// An index of PDQ hashes answering "which stored hashes are within distance d of any of these queries".
#[derive(Debug, Default)]
pub struct PdqIndex {
    hashes: Vec<PdqHash>,
    tables: Option<SlotTables>,
}

/// The slot widths in bits, widest first (the widest get the larger radii).
const WIDTHS: [u32; 12] = [22, 22, 22, 22, 21, 21, 21, 21, 21, 21, 21, 21];

/// The largest slot radius probed; distances needing more are scanned.
const MAX_RADIUS: i32 = 3;

/// For each slot, the ids of the hashes sorted by that slot's value, with run offsets.
#[derive(Debug)]
struct SlotTables {
    /// Per slot: `2^width + 1` offsets into that slot's ids.
    offsets: Vec<Vec<u32>>,
    /// Per slot: `n` ids.
    ids: Vec<Vec<u32>>,
}

/// The bit offset of each slot.
fn slot_starts() -> [u32; 12] {
    let mut starts = [0u32; 12];
    for i in 1..12 {
        starts[i] = starts[i - 1] + WIDTHS[i - 1];
    }
    starts
}

/// The value of the slot starting at bit `start`, `width` bits wide.
fn slot(h: &PdqHash, start: u32, width: u32) -> u32 {
    let (word, bit) = ((start / 64) as usize, start % 64);
    let mut v = h.0[word] >> bit;
    if bit + width > 64 {
        v |= h.0[word + 1] << (64 - bit);
    }
    (v & ((1u64 << width) - 1)) as u32
}

/// The radius of each slot for distance `d` (`-1`: the slot need not be probed), or `None` when a radius
/// would exceed [`MAX_RADIUS`].
fn radii(d: u32) -> Option<[i32; 12]> {
    let total = d as i32 + 1;
    let (base, extra) = (total / 12, total % 12);
    let r: [i32; 12] = std::array::from_fn(|i| base + i32::from((i as i32) < extra) - 1);
    (r[0] <= MAX_RADIUS).then_some(r)
}

/// Calls `f` with every value within `radius` bits of `v` in a `width`-bit space.
fn for_each_within(v: u32, width: u32, radius: i32, mut f: impl FnMut(u32)) {
    if radius < 0 {
        return;
    }
    f(v);
    if radius < 1 {
        return;
    }
    for i in 0..width {
        let a = v ^ (1 << i);
        f(a);
        if radius < 2 {
            continue;
        }
        for j in i + 1..width {
            let b = a ^ (1 << j);
            f(b);
            if radius < 3 {
                continue;
            }
            for k in j + 1..width {
                f(b ^ (1 << k));
            }
        }
    }
}

impl PdqIndex {
    /// Builds the index (multi-index tables only for sets large enough to gain from them).
    pub fn build(hashes: Vec<PdqHash>) -> PdqIndex {
        let tables = (FLAT_BELOW..MAX_TABLED)
            .contains(&hashes.len())
            .then(|| SlotTables::build(&hashes));
        PdqIndex { hashes, tables }
    }

    /// A flat-scan-only index (no tables), for comparison.
    pub fn flat(hashes: Vec<PdqHash>) -> PdqIndex {
        PdqIndex {
            hashes,
            tables: None,
        }
    }

    /// A multi-index-hashing index whatever the size, for comparison.
    pub fn multi_index(hashes: Vec<PdqHash>) -> PdqIndex {
        let tables = (hashes.len() < MAX_TABLED).then(|| SlotTables::build(&hashes));
        PdqIndex { hashes, tables }
    }

    /// The number of hashes.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The stored hashes, by id.
    pub fn hashes(&self) -> &[PdqHash] {
        &self.hashes
    }

    /// Appends to `out` each stored hash within `max_distance` of any query, once, as `(id, smallest distance)`,
    /// sorted by id.
    pub fn search(&self, queries: &[PdqHash], max_distance: u32, out: &mut Vec<(u32, u32)>) {
        let start = out.len();
        let mut qs: Vec<PdqHash> = queries.to_vec();
        qs.sort_unstable();
        qs.dedup();
        match &self.tables {
            Some(t) if radii(max_distance).is_some() => {
                t.probe(&self.hashes, &qs, max_distance, out);
            }
            _ => self.scan(&qs, max_distance, out),
        }
        let found = &mut out[start..];
        found.sort_unstable();
        let mut kept = start;
        for i in start..out.len() {
            if kept > start && out[kept - 1].0 == out[i].0 {
                continue;
            }
            out[kept] = out[i];
            kept += 1;
        }
        out.truncate(kept);
    }

    /// The flat scan: every stored hash against every query in one pass.
    fn scan(&self, queries: &[PdqHash], max_distance: u32, out: &mut Vec<(u32, u32)>) {
        for (id, h) in self.hashes.iter().enumerate() {
            let best = queries
                .iter()
                .map(|q| q.distance(h))
                .min()
                .unwrap_or(u32::MAX);
            if best <= max_distance {
                out.push((id as u32, best));
            }
        }
    }
}

impl SlotTables {
    fn build(hashes: &[PdqHash]) -> SlotTables {
        use rayon::prelude::*;
        let starts = slot_starts();
        let (offsets, ids): (Vec<Vec<u32>>, Vec<Vec<u32>>) = (0..12)
            .into_par_iter()
            .map(|s| {
                let (start, width) = (starts[s], WIDTHS[s]);
                let mut offsets = vec![0u32; (1 << width) + 1];
                for h in hashes {
                    offsets[slot(h, start, width) as usize + 1] += 1;
                }
                for v in 0..1usize << width {
                    offsets[v + 1] += offsets[v];
                }
                let mut next = offsets.clone();
                let mut ids = vec![0u32; hashes.len()];
                for (id, h) in hashes.iter().enumerate() {
                    let v = slot(h, start, width) as usize;
                    ids[next[v] as usize] = id as u32;
                    next[v] += 1;
                }
                (offsets, ids)
            })
            .unzip();
        SlotTables { offsets, ids }
    }

    /// Probes every slot of every query within its radius, then verifies the candidates in (roughly) ascending
    /// id order: sorting them by their high id bits first turns the verification's random reads of the hash
    /// array into a forward sweep.
    fn probe(
        &self,
        hashes: &[PdqHash],
        queries: &[PdqHash],
        max_distance: u32,
        out: &mut Vec<(u32, u32)>,
    ) {
        let n = hashes.len();
        let Some(radii) = radii(max_distance) else {
            return;
        };
        let starts = slot_starts();
        CANDIDATES.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (cands, sorted, counts) = &mut *guard;
            // Each candidate carries its query's index in the low 3 bits (up to 8 queries per batch).
            for chunk in queries.chunks(8) {
                cands.clear();
                for (v, q) in chunk.iter().enumerate() {
                    for s in 0..12 {
                        let (offsets, ids) = (&self.offsets[s], &self.ids[s]);
                        let value = slot(q, starts[s], WIDTHS[s]);
                        for_each_within(value, WIDTHS[s], radii[s], |p| {
                            let run = &ids
                                [offsets[p as usize] as usize..offsets[p as usize + 1] as usize];
                            cands.extend(run.iter().map(|&id| id << 3 | v as u32));
                        });
                    }
                }
                bucket_by_id(cands, sorted, counts, n);
                // Each block's hashes are first touched with a loop so small that many cache misses are in
                // flight at once, then measured from cache.
                for block in sorted.chunks(TOUCH_BLOCK) {
                    let mut touch = 0u64;
                    for &c in block {
                        touch ^= hashes[(c >> 3) as usize].0[0];
                    }
                    std::hint::black_box(touch);
                    for &c in block {
                        let id = (c >> 3) as usize;
                        let d = hashes[id].distance(&chunk[(c & 7) as usize]);
                        if d <= max_distance {
                            out.push((id as u32, d));
                        }
                    }
                }
            }
        });
    }
}

/// Candidates touched ahead of their distance computation.
const TOUCH_BLOCK: usize = 64;

/// Bucket count of the id pre-sort (by the top bits of the id).
const BUCKETS: usize = 4096;

thread_local! {
    /// Candidate buffers reused from query to query.
    static CANDIDATES: std::cell::RefCell<(Vec<u32>, Vec<u32>, Vec<u32>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new())) };
}

/// One counting-sort pass of `cands` into `sorted` by the candidate's id range (about `BUCKETS` ranges of a
/// power-of-two size, so the bucket is a shift, not a division).
fn bucket_by_id(cands: &[u32], sorted: &mut Vec<u32>, counts: &mut Vec<u32>, n: usize) {
    let shift = 3 + (n / BUCKETS).max(1).next_power_of_two().trailing_zeros();
    let buckets = (n >> (shift - 3)) + 1;
    counts.clear();
    counts.resize(buckets + 1, 0);
    for &c in cands {
        counts[(c >> shift) as usize + 1] += 1;
    }
    for b in 0..buckets {
        counts[b + 1] += counts[b];
    }
    sorted.clear();
    sorted.resize(cands.len(), 0);
    for &c in cands {
        let b = (c >> shift) as usize;
        sorted[counts[b] as usize] = c;
        counts[b] += 1;
    }
}
