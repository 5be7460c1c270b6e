//! The media triage commands (`hash`, `hashset`, `scan`) run as an investigator would, on generated pattern
//! images (gradients and shapes, never photographs) in temporary folders.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `safeguard` with `args` in `dir`.
pub(crate) fn safeguard(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(args)
        .current_dir(dir)
        .env_remove("SAFEGUARD_DATA_DIR")
        .output()
        .expect("failed to run safeguard")
}

/// Writes a generated pattern image: a smooth gradient under a few large discs and bars whose places and
/// shades come from `seed` (large shapes keep the PDQ hash stable under resizing and small edits).
pub(crate) fn pattern(path: &Path, width: u32, height: u32, seed: u32) {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(12345);
    let mut next = move |n: u32| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (state >> 8) % n.max(1)
    };
    let shapes: Vec<(u32, u32, u32, [u8; 3], bool)> = (0..16)
        .map(|_| {
            let (cx, cy) = (next(width), next(height));
            let r = width.min(height) / 12 + next(width.min(height) / 6);
            let colour = [next(256) as u8, next(256) as u8, next(256) as u8];
            (cx, cy, r, colour, next(2) == 0)
        })
        .collect();
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let mut px = image::Rgb([(x * 200 / width) as u8, (y * 200 / height) as u8, 90]);
        for &(cx, cy, r, colour, disc) in &shapes {
            let (dx, dy) = (x.abs_diff(cx), y.abs_diff(cy));
            let inside = if disc {
                dx * dx + dy * dy <= r * r
            } else {
                dx <= r && dy <= r / 3
            };
            if inside {
                px = image::Rgb(colour);
            }
        }
        px
    });
    img.save(path).unwrap();
}

pub(crate) fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn hash_prints_digests_for_every_file_and_pdq_for_images() {
    let dir = tempfile::tempdir().unwrap();
    pattern(&dir.path().join("a.png"), 200, 150, 1);
    std::fs::write(dir.path().join("notes.txt"), b"abc").unwrap();
    let out = safeguard(
        dir.path(),
        &["hash", ".", "--json", "--dihedral", "--sha256"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    let image = &lines[0];
    assert!(image["path"].as_str().unwrap().ends_with("a.png"));
    assert_eq!(image["pdq"].as_str().unwrap().len(), 64);
    assert_eq!(image["pdq_dihedral"].as_array().unwrap().len(), 8);
    assert_eq!(image["pdq_dihedral"][0], image["pdq"]);
    let text = &lines[1];
    assert_eq!(text["md5"], "900150983cd24fb0d6963f7d28e17f72");
    assert_eq!(text["sha1"], "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_eq!(
        text["sha256"],
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(text["size"], 3);
    assert!(text.get("pdq").is_none());
}

#[test]
fn hash_reports_a_missing_or_corrupt_file_and_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.png"),
        b"\x89PNG\r\n\x1a\n this is not really a png",
    )
    .unwrap();
    std::fs::write(dir.path().join("fine.txt"), b"hello").unwrap();
    let out = safeguard(
        dir.path(),
        &["hash", "missing.jpg", "broken.png", "fine.txt", "--json"],
    );
    assert!(out.status.success());
    let lines = json_lines(&out);
    assert!(lines[0]["error"].is_string());
    assert!(lines[1]["error"].is_string() && lines[1]["md5"].is_string());
    assert_eq!(lines[2]["md5"], "5d41402abc4b2a76b9719d911017c592");
}

/// A scan folder built from three known pictures, with copies, edits and distractors.
pub(crate) struct Case {
    pub(crate) dir: tempfile::TempDir,
    outside: tempfile::TempDir,
}

impl Case {
    fn root(&self) -> std::path::PathBuf {
        self.dir.path().join("seized")
    }
}

/// Builds: `known/k1..k3.png`, a VICS set (MD5s of k1 and k2, categories 1 and 2), a PDQ list (all three,
/// categories A, B, C), a category map, and `seized/` with exact copies, a resized JPEG, a rotation, an edit,
/// an unknown image, a corrupt image, a text file and a link pointing outside.
pub(crate) fn build_case() -> Case {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let known = dir.path().join("known");
    let seized = dir.path().join("seized");
    std::fs::create_dir_all(&known).unwrap();
    std::fs::create_dir_all(seized.join("sub")).unwrap();
    for (i, (w, h)) in [(320u32, 240u32), (300, 300), (400, 260)]
        .iter()
        .enumerate()
    {
        pattern(
            &known.join(format!("k{}.png", i + 1)),
            *w,
            *h,
            i as u32 * 3 + 1,
        );
    }
    let out = safeguard(dir.path(), &["hash", "known", "--json"]);
    let lines = json_lines(&out);
    let (md5, pdq): (Vec<String>, Vec<String>) = lines
        .iter()
        .map(|l| {
            (
                l["md5"].as_str().unwrap().to_string(),
                l["pdq"].as_str().unwrap().to_string(),
            )
        })
        .unzip();
    for l in &lines {
        assert!(
            l["quality"].as_u64().unwrap() >= 50,
            "test pattern too flat: {l}"
        );
    }
    let vics = format!(
        "\u{feff}{{\"odata.metadata\":\"http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media\",\"value\":[\
         {{\"MediaID\":1,\"Category\":1,\"MD5\":\"{}\",\"IsPrecategorized\":\"true\",\"DateUpdated\":\"/Date(1546300800000)/\"}},\
         {{\"MediaID\":2,\"Category\":2,\"MD5\":\"{}\"}},{{\"MediaID\":3,\"Category\":2,\"MD5\":\"{}\"}}]}}",
        md5[0], md5[1], md5[1]
    );
    std::fs::write(dir.path().join("set.json"), vics).unwrap();
    std::fs::write(
        dir.path().join("pdq.csv"),
        format!("{},A\n{},B\n{},C\n", pdq[0], pdq[1], pdq[2]),
    )
    .unwrap();
    std::fs::write(dir.path().join("uk.map"), "1 = A\n2 = B\n3 = C\n").unwrap();
    std::fs::copy(known.join("k1.png"), seized.join("same1.png")).unwrap();
    std::fs::copy(known.join("k2.png"), seized.join("sub/same2.png")).unwrap();
    let k1 = image::open(known.join("k1.png")).unwrap();
    let k2 = image::open(known.join("k2.png")).unwrap();
    let k3 = image::open(known.join("k3.png")).unwrap();
    k2.resize(150, 150, image::imageops::FilterType::Triangle)
        .to_rgb8()
        .save(seized.join("k2_small.jpg"))
        .unwrap();
    k3.rotate90()
        .save(seized.join("sub/k3_rotated.png"))
        .unwrap();
    // A light edit: brighter, and a small mark in one corner.
    let mut edited = k1.brighten(12).to_rgb8();
    for x in 4..10 {
        for y in 4..10 {
            edited.put_pixel(x, y, image::Rgb([255, 255, 255]));
        }
    }
    edited.save(seized.join("k1_edited.png")).unwrap();
    pattern(&seized.join("unknown.png"), 256, 256, 11);
    std::fs::write(
        seized.join("corrupt.jpg"),
        b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 truncated nonsense",
    )
    .unwrap();
    std::fs::write(seized.join("notes.txt"), b"shopping list").unwrap();
    std::fs::write(outside.path().join("elsewhere.png"), b"outside").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("elsewhere.png"),
        seized.join("link.png"),
    )
    .unwrap();
    Case { dir, outside }
}

pub(crate) fn import_sets(case: &Case) {
    let d = case.dir.path();
    let out = safeguard(
        d,
        &[
            "hashset",
            "import",
            "set.json",
            "--name",
            "vic",
            "--category-map",
            "uk.map",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = safeguard(
        d,
        &[
            "hashset",
            "import",
            "pdq.csv",
            "--name",
            "pdq",
            "--distance",
            "31",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn file_entry<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(name))
        .unwrap()
}

#[test]
fn a_scan_counts_exact_and_near_matches_lists_unknowns_skips_the_link_and_survives_the_corrupt_file()
 {
    let case = build_case();
    import_sets(&case);
    let list = safeguard(case.dir.path(), &["hashset", "list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.contains("vic") && listed.contains("pdq"), "{listed}");
    let out = safeguard(
        case.dir.path(),
        &[
            "scan",
            "seized",
            "--hash-set",
            "vic",
            "pdq",
            "--json",
            "report.json",
            "--vics",
            "export.json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(case.dir.path().join("report.json")).unwrap())
            .unwrap();
    let s = &report["summary"];
    assert_eq!(s["files"], 8, "{s}");
    assert_eq!(s["images"], 6, "{s}");
    assert_eq!(s["exact"], 2, "{s}");
    assert_eq!(s["near"], 3, "{s}");
    assert_eq!(
        (
            s["matched"]["A"].as_u64(),
            s["matched"]["B"].as_u64(),
            s["matched"]["C"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(s["unknown_images"], 1);
    assert_eq!(s["unreadable"], 1);
    let rotated = file_entry(&report, "k3_rotated.png");
    assert_eq!(rotated["matches"][0]["kind"], "near");
    assert!(rotated["matches"][0]["distance"].as_u64().unwrap() <= 31);
    assert_eq!(
        file_entry(&report, "same1.png")["matches"][0]["kind"],
        "exact"
    );
    assert_eq!(file_entry(&report, "link.png")["skipped"], "link");
    assert!(file_entry(&report, "link.png")["md5"].is_null());
    assert!(file_entry(&report, "corrupt.jpg")["error"].is_string());
    assert_eq!(report["sets"].as_array().unwrap().len(), 2);
    assert_eq!(report["sets"][0]["checksum"].as_str().unwrap().len(), 64);
    let export: Value =
        serde_json::from_slice(&std::fs::read(case.dir.path().join("export.json")).unwrap())
            .unwrap();
    assert!(export["@odata.context"].as_str().unwrap().contains("2.0"));
    assert_eq!(export["value"][0]["Media"].as_array().unwrap().len(), 6);
    assert!(case.outside.path().join("elsewhere.png").exists());
}

#[test]
fn a_resumed_scan_reuses_the_files_an_interrupted_run_finished() {
    let case = build_case();
    let root = std::fs::canonicalize(case.root()).unwrap();
    let key = media::digest::sha256_hex(root.to_string_lossy().as_bytes());
    let journal = case
        .dir
        .path()
        .join("safeguard-data/scans")
        .join(format!("{}.journal", &key[..16]));
    std::fs::create_dir_all(journal.parent().unwrap()).unwrap();
    // What an interrupted run would have left: notes.txt done (with a marker MD5 to show it is reused).
    let notes = case.root().join("notes.txt");
    let line = serde_json::json!({
        "path": case.root().join("notes.txt").to_string_lossy(),
        "size": 13,
        "mtime_ns": std::fs::metadata(&notes).unwrap().modified().unwrap().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos(),
        "md5": vec![0u8; 16], "sha1": vec![0u8; 20], "image": false,
    });
    std::fs::write(&journal, format!("{line}\n{{\"path\": \"cut sh")).unwrap();
    let root_arg = case.root().to_string_lossy().into_owned();
    let out = safeguard(
        case.dir.path(),
        &["scan", &root_arg, "--resume", "--json", "-"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["resumed_files"], 1);
    assert_eq!(file_entry(&report, "notes.txt")["md5"], "0".repeat(32));
    assert_eq!(report["summary"]["files"], 8);
    assert!(!journal.exists(), "a completed scan removes its journal");
}

#[test]
fn importing_a_hash_set_with_a_bad_line_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.txt"),
        "0123456789abcdef0123456789abcdef\nnope\n",
    )
    .unwrap();
    let out = safeguard(
        dir.path(),
        &["hashset", "import", "bad.txt", "--name", "bad"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.txt") && err.contains("line 2"), "{err}");
}
