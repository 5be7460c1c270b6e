//! Hash-set files: built from entries (repeated hashes merged to the most serious category), saved, loaded back
//! with a checksum, and matched exactly and near.

use media::hashset::{Builder, Category, KnownSet, MatchKind};
use media::pdq::PdqHash;

fn pdq(seed: u64) -> PdqHash {
    PdqHash([
        seed,
        seed.rotate_left(17) ^ 0x5555,
        !seed,
        seed.wrapping_mul(31),
    ])
}

#[test]
fn a_saved_set_loads_back_with_its_entries_and_a_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Builder::new("test", "source.json", "VICS 1.3", 31);
    b.add(Some([1; 16]), Some([2; 20]), Some(pdq(9)), Category::C);
    b.add(Some([1; 16]), None, None, Category::A);
    b.add(Some([3; 16]), None, None, Category::Other(7));
    let path = dir.path().join("test");
    b.finish().save(&path).unwrap();
    let set = KnownSet::load(&path).unwrap();
    assert_eq!(set.counts(), (2, 1, 1));
    assert_eq!(set.checksum.len(), 64);
    assert_eq!(KnownSet::describe(&path).unwrap().1, set.checksum);
    let m = set.best_match(&[1; 16], &[0; 20], None).unwrap();
    assert_eq!(
        (m.category, m.kind),
        (Category::A, MatchKind::Exact),
        "the repeated MD5 keeps its most serious category"
    );
    assert_eq!(
        set.best_match(&[3; 16], &[0; 20], None).unwrap().category,
        Category::Other(7)
    );
    assert!(set.best_match(&[4; 16], &[0; 20], None).is_none());
}

#[test]
fn a_near_match_reports_the_smallest_distance_over_the_variants() {
    let mut b = Builder::new("near", "list.txt", "list", 31);
    b.add(None, None, Some(pdq(1)), Category::B);
    let set = b.finish();
    let mut close = pdq(1);
    close.0[0] ^= 0b1011;
    let variants = [
        pdq(100),
        pdq(101),
        close,
        pdq(103),
        pdq(104),
        pdq(105),
        pdq(106),
        pdq(107),
    ];
    let m = set.best_match(&[0; 16], &[0; 20], Some(&variants)).unwrap();
    assert_eq!(
        (m.kind, m.distance, m.category),
        (MatchKind::Near, Some(3), Category::B)
    );
}

#[test]
fn a_file_that_is_not_a_set_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x");
    std::fs::write(&path, b"{\"value\": []}").unwrap();
    assert!(KnownSet::load(&path).is_err());
}
