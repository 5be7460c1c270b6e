//! Every row of the reference vectors (shared/data/pdq/vectors.tsv): plain hash, quality and the eight
//! variants, bit for bit, from the decoded PNG pixels.

use media::decode;
use media::pdq;

use crate::support::shared_data;

#[test]
fn every_reference_vector_gives_exactly_the_reference_hash_quality_and_variants() {
    let Some(dir) = shared_data("pdq") else {
        return;
    };
    let table = std::fs::read_to_string(dir.join("vectors.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut rows = 0;
    for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 13, "malformed vectors row: {line}");
        let bytes = std::fs::read(dir.join(f[0])).unwrap();
        let luma = decode::luma_from_bytes(&bytes).unwrap();
        assert_eq!(
            (luma.cols.to_string(), luma.rows.to_string()),
            (f[1].to_string(), f[2].to_string())
        );
        let plain = pdq::hash(&luma);
        let dih = pdq::dihedral(&luma);
        if plain.quality.to_string() != f[3] {
            failures.push(format!("{}: quality {} != {}", f[0], plain.quality, f[3]));
        }
        if plain.hash.to_string() != f[4] {
            failures.push(format!("{}: pdq {} != {}", f[0], plain.hash, f[4]));
        }
        for (v, expected) in f[5..13].iter().enumerate() {
            if dih.hashes[v].to_string() != *expected {
                let d = dih.hashes[v].distance(&expected.parse().unwrap());
                failures.push(format!("{}: variant {v} differs by {d} bits", f[0]));
            }
        }
        rows += 1;
    }
    assert!(rows >= 40, "only {rows} vectors read");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn an_image_under_five_pixels_a_side_hashes_to_zero_with_quality_zero() {
    let luma = pdq::Luma::from_grey(&[7; 4 * 100], 100, 4);
    let p = pdq::hash(&luma);
    assert_eq!((p.hash, p.quality), (pdq::PdqHash::default(), 0));
}
