//! Fuzzes the streaming VICS JSON reader: any bytes must give entries or an error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = intake::hashsets::read_vics(data, |_| {});
});
