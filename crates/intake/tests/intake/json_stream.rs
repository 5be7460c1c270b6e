//! The streaming package reader: reports handed over one by one while the input is still being read,
//! all-or-nothing errors that name the bad report, duplicates, limits, and header keys after `reports`.

use crate::fixtures::minimal;
use crate::json_forms::package;
use intake::{PackageHeader, PackageLimits, ReadError, Report, read_json_package};
use std::io::Read;

fn xml_entry(id: &str, time: &str) -> String {
    serde_json::json!({"report_id": id, "cybertip_xml": minimal("Child Sex Tourism", time)})
        .to_string()
}

fn collect(
    bytes: &[u8],
    limits: &PackageLimits,
) -> Result<Vec<Report>, ReadError<std::convert::Infallible>> {
    let mut out = vec![];
    read_json_package(bytes, limits, |_, r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

#[test]
fn a_ten_report_package_with_one_bad_report_is_refused_naming_it() {
    let entries: Vec<String> = (0..10)
        .map(|i| {
            xml_entry(
                &format!("R-{i}"),
                if i == 7 {
                    "2019-01-01T00:00:00"
                } else {
                    "2019-01-01T00:00:00Z"
                },
            )
        })
        .collect();
    let mut handed = 0;
    let e = read_json_package(package(&entries).as_bytes(), &PackageLimits::API, |_, _| {
        handed += 1;
        Ok::<_, std::convert::Infallible>(())
    })
    .unwrap_err();
    let ReadError::Invalid(e) = e else {
        panic!("{e}")
    };
    assert!(
        e.location
            .starts_with("reports[7].cybertip_xml: report/incidentSummary/incidentDateTime"),
        "{e}"
    );
    assert_eq!(handed, 7, "the caller rolls back the seven it was handed");
}

#[test]
fn a_repeated_report_id_is_refused_naming_the_second() {
    let entries = [
        xml_entry("A", "2019-01-01T00:00:00Z"),
        xml_entry("B", "2019-01-01T00:00:00Z"),
        xml_entry("A", "2019-01-01T00:00:00Z"),
    ];
    let Err(ReadError::Invalid(e)) = collect(package(&entries).as_bytes(), &PackageLimits::API)
    else {
        panic!()
    };
    assert_eq!(e.location, "reports[2].report_id");
    assert!(e.message.contains("reports[0]"), "{e}");
}

#[test]
fn header_keys_after_the_reports_are_read_by_buffering_them() {
    let json = format!(
        r#"{{"reports":[{}],"source":"NCA","received_at":"2019-04-01T10:00:00+01:00"}}"#,
        xml_entry("A", "2019-01-01T00:00:00Z")
    );
    let mut seen = vec![];
    let s = read_json_package(
        json.as_bytes(),
        &PackageLimits::API,
        |h: &PackageHeader, r| {
            seen.push((h.source.clone(), r.report_id));
            Ok::<_, std::convert::Infallible>(())
        },
    )
    .unwrap();
    assert!(s.buffered);
    assert_eq!(seen, [("NCA".to_string(), "A".to_string())]);
    assert_eq!(s.header.received_at.to_string(), "2019-04-01T09:00:00Z");
    assert_eq!(s.sha256, intake::sha256_hex(json.as_bytes()));
}

#[test]
fn the_report_count_and_size_limits_are_enforced() {
    let entries: Vec<String> = (0..3)
        .map(|i| xml_entry(&format!("R-{i}"), "2019-01-01T00:00:00Z"))
        .collect();
    let bytes = package(&entries);
    let two = PackageLimits {
        max_bytes: 1 << 20,
        max_reports: 2,
    };
    let Err(ReadError::Invalid(e)) = collect(bytes.as_bytes(), &two) else {
        panic!()
    };
    assert_eq!(e.location, "reports[2]");
    let small = PackageLimits {
        max_bytes: 100,
        max_reports: 10,
    };
    let Err(ReadError::Invalid(e)) = collect(bytes.as_bytes(), &small) else {
        panic!()
    };
    assert!(e.message.contains("limit"), "{e}");
}

#[test]
fn a_package_without_reports_or_source_is_refused() {
    let Err(ReadError::Invalid(e)) = collect(
        br#"{"source":"NCA","received_at":"2019-04-01T09:00:00Z","reports":[]}"#,
        &PackageLimits::API,
    ) else {
        panic!()
    };
    assert_eq!(e.location, "reports");
    let json = format!(
        r#"{{"received_at":"2019-04-01T09:00:00Z","reports":[{}]}}"#,
        xml_entry("A", "2019-01-01T00:00:00Z")
    );
    let Err(ReadError::Invalid(e)) = collect(json.as_bytes(), &PackageLimits::API) else {
        panic!()
    };
    assert_eq!(e.location, "source");
}

#[test]
fn a_sink_error_stops_the_read_and_is_returned() {
    let entries: Vec<String> = (0..3)
        .map(|i| xml_entry(&format!("R-{i}"), "2019-01-01T00:00:00Z"))
        .collect();
    let e = read_json_package(package(&entries).as_bytes(), &PackageLimits::API, |_, r| {
        if r.report_id == "R-1" {
            Err("disk full")
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    assert!(matches!(e, ReadError::Sink("disk full")));
}

/// Writes a package of `total` reports on demand, recording how far it has got.
struct Generated {
    total: usize,
    next: usize,
    pending: Vec<u8>,
    produced: std::rc::Rc<std::cell::Cell<usize>>,
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            self.pending = match self.next {
                0 => br#"{"source":"NCA","package_ref":null,"received_at":"2019-04-01T09:00:00Z","borough":null,"reports":["#.to_vec(),
                n if n <= self.total => {
                    let sep = if n > 1 { "," } else { "" };
                    format!("{sep}{}", xml_entry(&format!("G-{n}"), "2019-01-01T00:00:00-05:00")).into_bytes()
                }
                n if n == self.total + 1 => b"]}".to_vec(),
                _ => return Ok(0),
            };
            self.next += 1;
        }
        let n = self.pending.len().min(out.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        self.produced.set(self.produced.get() + n);
        Ok(n)
    }
}

#[test]
fn a_twenty_thousand_report_package_is_handed_over_one_report_at_a_time() {
    let produced = std::rc::Rc::new(std::cell::Cell::new(0));
    let input = Generated {
        total: 20_000,
        next: 0,
        pending: vec![],
        produced: produced.clone(),
    };
    let mut count = 0;
    let mut produced_at_first = 0;
    let summary = read_json_package(input, &PackageLimits::CLI, |_, r| {
        if count == 0 {
            produced_at_first = produced.get();
        }
        count += 1;
        assert_eq!(r.report_id, format!("G-{count}"));
        Ok::<_, std::convert::Infallible>(())
    })
    .unwrap();
    assert_eq!((count, summary.reports), (20_000, 20_000));
    assert!(!summary.buffered);
    assert_eq!(summary.bytes as usize, produced.get());
    assert!(
        produced_at_first < 256 * 1024 && produced.get() > 3 * 1024 * 1024,
        "the first report arrives after {produced_at_first} of {} bytes",
        produced.get()
    );
}
