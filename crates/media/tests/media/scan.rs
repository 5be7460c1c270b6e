//! The scan against a set holding SHA-256 hashes and VICS details: SHA-256 is worked out without being asked
//! for, a file known only by its SHA-256 is an exact match, and what the set says about the known image shows
//! in the report and in the VICS export.

use media::hashset::{Builder, Category, Details, KnownFile, KnownSet};
use media::record::HashOptions;
use media::scan::{self, NoProgress, ScanOptions};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A folder with one known file (known to the set only by its SHA-256) and one unknown file, and the set.
fn known_by_sha256() -> (tempfile::TempDir, KnownSet) {
    let dir = tempfile::tempdir().unwrap();
    let known: Vec<u8> = (0..5000u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(dir.path().join("known.bin"), &known).unwrap();
    std::fs::write(dir.path().join("other.bin"), b"not in any set").unwrap();
    let mut b = Builder::new("vic", "vic.json", "VICS 1.3", 31);
    b.add_file(KnownFile {
        sha256: Some(Sha256::digest(&known).into()),
        details: Details {
            victim_identified: Some(true),
            series: Some("Blue Room".into()),
            is_distributed: Some(true),
        },
        ..KnownFile::new(Category::A)
    });
    (dir, b.finish())
}

fn options() -> ScanOptions<'static> {
    ScanOptions {
        hash: HashOptions::default(),
        journal: None,
        resume: false,
        version: "test",
    }
}

#[test]
fn a_file_known_only_by_its_sha256_is_an_exact_match_with_what_the_set_says_about_it() {
    let (dir, set) = known_by_sha256();
    assert!(!options().hash.sha256, "SHA-256 is not asked for");
    let report = scan::scan(dir.path(), &[set], &options(), &NoProgress).unwrap();
    assert_eq!(report.summary.exact, 1);
    assert_eq!(report.summary.matched.a, 1);
    assert_eq!(report.sets[0].sha256, 1);
    let json = serde_json::to_value(&report).unwrap();
    let known = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("known.bin"))
        .unwrap();
    assert_eq!(known["sha256"].as_str().unwrap().len(), 64);
    let m = &known["matches"][0];
    assert_eq!(m["kind"], "exact");
    assert_eq!(m["hash"], "SHA-256");
    assert_eq!(m["category"], "A");
    assert_eq!(m["victim_identified"], true);
    assert_eq!(m["series"], "Blue Room");
    assert_eq!(m["is_distributed"], true);
}

#[test]
fn the_vics_export_carries_victim_identified_series_distribution_and_sha256_of_matched_media() {
    let (dir, set) = known_by_sha256();
    let report = scan::scan(dir.path(), &[set], &options(), &NoProgress).unwrap();
    let mut out = Vec::new();
    scan::vics::write(&report, "case-1", &mut out).unwrap();
    let export: Value = serde_json::from_slice(&out).unwrap();
    let media = export["value"][0]["Media"].as_array().unwrap();
    assert_eq!(
        media.len(),
        1,
        "only the matched file (neither is an image)"
    );
    let m = &media[0];
    assert_eq!(m["VictimIdentified"], true);
    assert_eq!(m["Series"], "Blue Room");
    assert_eq!(m["IsDistributed"], true);
    assert_eq!(m["AlternativeHashes"][0]["HashName"], "SHA256");
    assert_eq!(
        m["AlternativeHashes"][0]["HashValue"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
}

#[test]
fn a_resumed_scan_hashes_again_a_file_whose_journal_entry_lacks_the_sha256_a_set_now_needs() {
    let (dir, set) = known_by_sha256();
    let known = dir.path().join("known.bin");
    let journal = dir.path().join("scan.journal");
    // What an interrupted scan without SHA-256 would have left for known.bin.
    let mtime = std::fs::metadata(&known)
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let line = serde_json::json!({
        "path": known.to_string_lossy(), "size": 5000, "mtime_ns": mtime,
        "md5": vec![0u8; 16], "sha1": vec![0u8; 20], "image": false,
    });
    std::fs::write(&journal, format!("{line}\n")).unwrap();
    let options = ScanOptions {
        journal: Some(&journal),
        resume: true,
        ..options()
    };
    let report = scan::scan(dir.path(), &[set], &options, &NoProgress).unwrap();
    assert_eq!(report.resumed_files, 0);
    assert_eq!(report.summary.exact, 1);
}

#[test]
fn a_report_read_back_gives_the_summarys_counts_the_exact_matches_per_category_and_the_sets() {
    let (dir, set) = known_by_sha256();
    let report = scan::scan(dir.path(), &[set], &options(), &NoProgress).unwrap();
    let json = serde_json::to_vec_pretty(&report).unwrap();
    let got = scan::received::read(&json).unwrap();
    assert_eq!(got.counts.a, 1);
    assert_eq!(got.exact_by_category.a, 1);
    assert_eq!(got.near_by_category.a, 0);
    assert_eq!(got.files, 2);
    assert_eq!(got.version, "test");
    assert_eq!(got.sets[0].name, "vic");
    assert_eq!(got.sets[0].checksum, report.sets[0].checksum);
}

#[test]
fn a_report_that_is_not_json_or_whose_files_disagree_with_its_summary_is_refused_with_where() {
    let err = scan::received::read(b"{\n  \"summary\": 3\n}").unwrap_err();
    assert!(err.to_string().starts_with("line 2, column"), "{err}");
    let (dir, set) = known_by_sha256();
    let report = scan::scan(dir.path(), &[set], &options(), &NoProgress).unwrap();
    let mut v = serde_json::to_value(&report).unwrap();
    v["summary"]["exact"] = 5.into();
    let err = scan::received::read(&serde_json::to_vec(&v).unwrap()).unwrap_err();
    assert!(err.to_string().contains("5 exact"), "{err}");
}
