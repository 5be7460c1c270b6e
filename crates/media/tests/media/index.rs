//! The PDQ index: multi-index hashing must find exactly what a flat scan finds, over all eight query variants.

use media::index::PdqIndex;
use media::pdq::PdqHash;

/// A small deterministic generator, so the tests need no random-number crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 ^ (self.0 >> 29)
    }

    fn hash(&mut self) -> PdqHash {
        PdqHash([self.next(), self.next(), self.next(), self.next()])
    }
}

/// `h` with `n` distinct bits flipped.
fn flip(h: PdqHash, n: usize, rng: &mut Lcg) -> PdqHash {
    let mut out = h;
    let mut flipped = Vec::new();
    while flipped.len() < n {
        let k = (rng.next() % 256) as usize;
        if !flipped.contains(&k) {
            flipped.push(k);
            out.0[k >> 6] ^= 1 << (k & 63);
        }
    }
    out
}

#[test]
fn multi_index_hashing_finds_exactly_what_a_flat_scan_finds() {
    let mut rng = Lcg(7);
    let stored: Vec<PdqHash> = (0..30_000).map(|_| rng.hash()).collect();
    let mih = PdqIndex::multi_index(stored.clone());
    let flat = PdqIndex::flat(stored.clone());
    for q in 0..200 {
        // Queries near stored hashes at distances around the threshold, plus random ones.
        let base = stored[(rng.next() % stored.len() as u64) as usize];
        let variants: Vec<PdqHash> = (0..8)
            .map(|v| {
                if v == 3 {
                    flip(base, 20 + q % 16, &mut rng)
                } else {
                    rng.hash()
                }
            })
            .collect();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        mih.search(&variants, 31, &mut a);
        flat.search(&variants, 31, &mut b);
        assert_eq!(a, b, "query {q}");
    }
}

#[test]
fn a_hash_at_distance_31_matches_and_one_at_32_does_not() {
    let mut rng = Lcg(11);
    let stored: Vec<PdqHash> = (0..25_000).map(|_| rng.hash()).collect();
    let index = PdqIndex::build(stored.clone());
    let mut found = Vec::new();
    index.search(&[flip(stored[42], 31, &mut rng)], 31, &mut found);
    assert_eq!(found, vec![(42, 31)]);
    found.clear();
    index.search(&[flip(stored[42], 32, &mut rng)], 31, &mut found);
    assert!(found.is_empty());
}

#[test]
fn a_small_set_is_searched_with_any_distance() {
    let mut rng = Lcg(3);
    let stored: Vec<PdqHash> = (0..100).map(|_| rng.hash()).collect();
    let index = PdqIndex::build(stored.clone());
    let mut found = Vec::new();
    index.search(&[flip(stored[5], 60, &mut rng)], 63, &mut found);
    assert_eq!(found, vec![(5, 60)]);
}
