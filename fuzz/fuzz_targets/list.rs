//! Fuzzes the CSV and plain-list reader, with and without a forced hash kind.
#![no_main]

use intake::hashsets::{HashKind, read_any, read_list};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = read_list(data, None, |_| {});
    let _ = read_any(data, Some(HashKind::Pdq), |_| {});
});
