//! Fuzzes the streaming JSON package reader (and the XML reader behind `cybertip_xml` entries): any bytes
//! must give reports or an error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = intake::read_json_package(data, &intake::PackageLimits::API, |_, _| {
        Ok::<_, std::convert::Infallible>(())
    });
});
