//! The referral-package fuzz corpus (`fuzz/corpus/{cybertip_xml,json_package}`) replayed as ordinary tests,
//! since there is no nightly toolchain here for `cargo fuzz`: no input may panic, and the well-formed seeds
//! must be read.

use intake::{BareOptions, PackageLimits, parse_cybertip_xml, parse_package, read_json_package};
use std::path::Path;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no fuzz corpus at {}: {e}", dir.display()))
        .flatten()
        .map(|f| {
            (
                f.file_name().to_string_lossy().into_owned(),
                std::fs::read(f.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "empty corpus {}", dir.display());
    files
}

fn opts() -> BareOptions {
    BareOptions {
        source: "corpus".into(),
        ..Default::default()
    }
}

#[test]
fn every_package_fuzz_corpus_input_is_read_or_refused_without_panicking() {
    for target in ["cybertip_xml", "json_package"] {
        for (_, bytes) in corpus(target) {
            let _ = parse_cybertip_xml(&bytes, &opts());
            let _ = parse_package(&bytes, &PackageLimits::API);
            let _ = read_json_package(&bytes[..], &PackageLimits::CLI, |_, _| {
                Ok::<_, std::convert::Infallible>(())
            });
        }
    }
}

#[test]
fn the_well_formed_corpus_seeds_are_read_and_the_hostile_ones_refused() {
    let good_xml = [
        "bom_minimal.xml",
        "cdata_unknown.xml",
        "full.xml",
        "minimal.xml",
    ];
    for (name, bytes) in corpus("cybertip_xml") {
        let read = parse_cybertip_xml(&bytes, &opts());
        assert_eq!(
            read.is_ok(),
            good_xml.contains(&name.as_str()),
            "{name}: {read:?}"
        );
    }
    let good_json = [
        "bom.json",
        "header_after.json",
        "json_form.json",
        "xml_in_json.json",
    ];
    for (name, bytes) in corpus("json_package") {
        let read = parse_package(&bytes, &PackageLimits::API);
        assert_eq!(
            read.is_ok(),
            good_json.contains(&name.as_str()),
            "{name}: {read:?}"
        );
    }
}
