//! The PDQ near-match index: multi-index hashing (Norouzi et al.) over 16 slots of 16 bits, with a flat scan
//! for small sets and for distances where probing would cost more than scanning.
//!
//! Two hashes within distance `d` agree to within `floor(d / 16)` bits on at least one of the 16 slots, so a
//! query probes, in each slot's table, its own slot value and every value within that many bits, and checks
//! each candidate's full distance. Slot tables are sorted id lists (one counting sort per slot), so a probe is
//! one contiguous run of ids. Which to use above what size was chosen by measurement (`bench/media`).

use crate::pdq::PdqHash;

/// Below this many hashes a flat scan is as fast as probing (measured), and needs no tables.
const FLAT_BELOW: usize = 20_000;

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
        let tables = (hashes.len() >= FLAT_BELOW).then(|| SlotTables::build(&hashes));
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
        let tables = Some(SlotTables::build(&hashes));
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
                for q in &qs {
                    t.probe(&self.hashes, q, max_distance, out);
                }
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
        assert!(n < u32::MAX as usize, "too many hashes for one index");
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

    /// Probes every slot of `q` within radius `max_distance / 16` and verifies candidates.
    fn probe(&self, hashes: &[PdqHash], q: &PdqHash, max_distance: u32, out: &mut Vec<(u32, u32)>) {
        let n = hashes.len();
        let radius = max_distance / 16;
        for s in 0..16 {
            let offsets = &self.offsets[s * 65537..(s + 1) * 65537];
            let ids = &self.ids[s * n..(s + 1) * n];
            let v = slot(q, s);
            let mut visit = |value: u16| {
                let run =
                    &ids[offsets[value as usize] as usize..offsets[value as usize + 1] as usize];
                for &id in run {
                    let d = hashes[id as usize].distance(q);
                    if d <= max_distance {
                        out.push((id, d));
                    }
                }
            };
            visit(v);
            if radius >= 1 {
                for bit in 0..16 {
                    visit(v ^ (1 << bit));
                }
            }
        }
    }
}
