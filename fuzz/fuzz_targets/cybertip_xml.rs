//! Fuzzes the bare CyberTipline XML reader: any bytes must give a report or an error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let opts = intake::BareOptions {
        source: "fuzz".into(),
        ..Default::default()
    };
    let _ = intake::parse_cybertip_xml(data, &opts);
});
