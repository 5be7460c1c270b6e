//! The PDQ near-match index: multi-index hashing (Norouzi et al.) over 16 slots of 16 bits, with a flat scan
//! for small sets and for distances where probing would cost more than scanning.
//!
//! Two hashes within distance `d` agree to within `floor(d / 16)` bits on at least one of the 16 slots, so a
//! query probes, in each slot's table, its own slot value and every value within that many bits, and checks
//! each candidate's full distance. Slot tables are sorted id lists (one counting sort per slot), so a probe is
//! one contiguous run of ids. Which to use above what size was chosen by measurement (`bench/media`).

use crate::pdq::PdqHash;

/// Below this many hashes a flat scan is about as fast as probing, and needs no tables (4 MiB of offsets).
/// Measured with `bench/media` at 10 million hashes, one thread: a flat scan costs about 31 ns per stored hash
/// for an 8-variant query, probing about 20 µs plus 1.5 ns per stored hash; they cross near 1,000 hashes.
const FLAT_BELOW: usize = 2_000;

/// Candidates carry their id in 29 bits (and the query in 3), so larger sets are scanned.
const MAX_TABLED: usize = 1 << 29;

/// Probing radii above this cost more than a flat scan; such distances scan.
const MAX_RADIUS: u32 = 1;

/// An index of PDQ hashes answering "which stored hashes are within distance d of any of these queries".
#[derive(Debug, Default)]
pub struct PdqIndex {
    hashes: Vec<PdqHash>,
    tables: Option<SlotTables>,
}

/// For each of the 16 slots, the ids of the hashes sorted by that slot's value, with run offsets.
#[derive(Debug)]
struct SlotTables {
    /// `16 * 65537` offsets: slot `s`, value `v` spans `ids[s][offsets[s*65537+v]..offsets[s*65537+v+1]]`.
    offsets: Vec<u32>,
    /// `16 * n` ids.
    ids: Vec<u32>,
}

/// The 16-bit value of slot `s` (bits `16s..16s+16`).
fn slot(h: &PdqHash, s: usize) -> u16 {
    (h.0[s >> 2] >> ((s & 3) * 16)) as u16
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
            Some(t) if max_distance / 16 <= MAX_RADIUS => {
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
        let n = hashes.len();
        let mut offsets = vec![0u32; 16 * 65537];
        let mut ids = vec![0u32; 16 * n];
        let work: Vec<(usize, &mut [u32], &mut [u32])> = offsets
            .chunks_exact_mut(65537)
            .zip(ids.chunks_mut(n.max(1)))
            .enumerate()
            .map(|(s, (o, i))| (s, o, i))
            .collect();
        use rayon::prelude::*;
        work.into_par_iter().for_each(|(s, offsets, ids)| {
            for h in hashes {
                offsets[slot(h, s) as usize + 1] += 1;
            }
            for v in 0..65536 {
                offsets[v + 1] += offsets[v];
            }
            let mut next: Vec<u32> = offsets[..65536].to_vec();
            for (id, h) in hashes.iter().enumerate() {
                let v = slot(h, s) as usize;
                ids[next[v] as usize] = id as u32;
                next[v] += 1;
            }
        });
        SlotTables { offsets, ids }
    }

    /// Probes every slot of every query within radius `max_distance / 16`, then verifies the candidates in
    /// (roughly) ascending id order: sorting them by their high id bits first turns the verification's random
    /// reads of the hash array into a forward sweep, which is what makes it fast at millions of hashes.
    fn probe(
        &self,
        hashes: &[PdqHash],
        queries: &[PdqHash],
        max_distance: u32,
        out: &mut Vec<(u32, u32)>,
    ) {
        let n = hashes.len();
        let radius = max_distance / 16;
        CANDIDATES.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (cands, sorted, counts) = &mut *guard;
            cands.clear();
            // Each candidate carries its query's index in the low 3 bits (up to 8 queries per batch).
            for chunk in queries.chunks(8) {
                cands.clear();
                for (v, q) in chunk.iter().enumerate() {
                    for s in 0..16 {
                        let offsets = &self.offsets[s * 65537..(s + 1) * 65537];
                        let ids = &self.ids[s * n..(s + 1) * n];
                        let value = slot(q, s);
                        let mut push = |value: u16| {
                            let run = &ids[offsets[value as usize] as usize
                                ..offsets[value as usize + 1] as usize];
                            cands.extend(run.iter().map(|&id| id << 3 | v as u32));
                        };
                        push(value);
                        if radius >= 1 {
                            for bit in 0..16 {
                                push(value ^ (1 << bit));
                            }
                        }
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
