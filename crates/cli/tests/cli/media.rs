//! The media triage commands (`hash`, `hashset`, `scan`) run as an investigator would, on generated pattern
//! images (gradients and shapes, never photographs) in temporary folders.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `safeguard` with `args` in `dir`.
fn safeguard(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(args)
        .current_dir(dir)
        .env_remove("SAFEGUARD_DATA_DIR")
        .output()
        .expect("failed to run safeguard")
}

/// Writes a generated pattern image: a diagonal gradient with a bright square whose place depends on `seed`.
fn pattern(path: &Path, width: u32, height: u32, seed: u32) {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let inside = (x / 37 + y / 29 + seed).is_multiple_of(5);
        let g = ((x * 255 / width.max(1) + y * 128 / height.max(1) + seed * 40) % 256) as u8;
        if inside {
            image::Rgb([250, 240 - g / 4, 30])
        } else {
            image::Rgb([g, 255 - g, (g / 2) ^ seed as u8])
        }
    });
    img.save(path).unwrap();
}

fn json_lines(out: &Output) -> Vec<Value> {
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
