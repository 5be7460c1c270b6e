//! Helpers shared by the tests: finding the shared reference data, generating pattern images.

use std::path::PathBuf;

/// The shared data directory (`/work/shared/data` beside the repository), or `None` with a note when it is
/// absent. Under `CI=true` its absence is a failure.
pub fn shared_data(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("shared test data missing at {}", dir.display());
    }
    eprintln!("skipped: shared test data not found at {}", dir.display());
    None
}
