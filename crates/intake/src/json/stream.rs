//! The serde visitors behind [`read_json_package`](super::read_json_package): the package object is
//! walked key by key and its `reports` array element by element, each report handed to the sink as soon
//! as it is read, so a package is never held whole. Errors found inside a visitor are parked in the
//! [`Run`] and the parse stopped; the caller returns the parked error rather than serde's.

use super::entry::{Entry, report_of};
use super::{PackageLimits, ReadError};
use crate::error::{IntakeError, Warning};
use crate::model::{PackageHeader, Report};
use jiff::Timestamp;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;

/// Everything the visitors share while one package is read.
pub(crate) struct Run<F, E> {
    pub limits: PackageLimits,
    pub sink: F,
    pub source: Option<Option<String>>,
    pub package_ref: Option<Option<String>>,
    pub received_at: Option<Timestamp>,
    pub borough: Option<Option<String>>,
    pub header: Option<PackageHeader>,
    pub failure: Option<ReadError<E>>,
    pub buffered: Vec<Entry>,
    pub ids: HashMap<String, usize>,
    pub count: u64,
    pub warnings: Vec<Warning>,
    pub reports_seen: bool,
    /// The `reports` index being read, to locate serde's own errors.
    pub current: Option<usize>,
}

impl<F, E> Run<F, E>
where
    F: FnMut(&PackageHeader, Report) -> Result<(), E>,
{
    /// Park `failure` and give serde an error that stops the parse.
    fn stop<X: de::Error>(&mut self, failure: ReadError<E>) -> X {
        self.failure = Some(failure);
        X::custom("stopped")
    }

    /// The header, once every header key has been read (or, at the end, whatever was given).
    pub fn header(&mut self) -> Result<PackageHeader, IntakeError> {
        if let Some(h) = &self.header {
            return Ok(h.clone());
        }
        let source = self
            .source
            .clone()
            .flatten()
            .filter(|s| !s.trim().is_empty());
        let h = PackageHeader {
            source: source.ok_or_else(|| IntakeError::new("source", "is required"))?,
            package_ref: self.package_ref.clone().flatten(),
            received_at: self
                .received_at
                .ok_or_else(|| IntakeError::new("received_at", "is required"))?,
            borough: self.borough.clone().flatten(),
        };
        self.header = Some(h.clone());
        Ok(h)
    }

    /// Convert, check for a repeated id, and hand to the sink.
    pub fn deliver(&mut self, entry: Entry) -> Result<(), ReadError<E>> {
        let header = self.header()?;
        let index = entry.index;
        let report = report_of(entry)?;
        if let Some(first) = self.ids.insert(report.report_id.clone(), index) {
            return Err(ReadError::Invalid(IntakeError::new(
                format!("reports[{index}].report_id"),
                format!(
                    "report id '{}' appears twice in the package (first at reports[{first}])",
                    report.report_id
                ),
            )));
        }
        (self.sink)(&header, report).map_err(ReadError::Sink)
    }
}

/// The package object.
pub(crate) struct PackageSeed<'r, F, E>(pub &'r mut Run<F, E>);

impl<'de, F, E> DeserializeSeed<'de> for PackageSeed<'_, F, E>
where
    F: FnMut(&PackageHeader, Report) -> Result<(), E>,
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F, E> Visitor<'de> for PackageSeed<'_, F, E>
where
    F: FnMut(&PackageHeader, Report) -> Result<(), E>,
{
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a package object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let run = self.0;
        while let Some(key) = map.next_key::<String>()? {
            let twice = || IntakeError::new(&key, "appears twice in the package");
            match key.as_str() {
                "source" | "package_ref" | "borough" => {
                    let slot = match key.as_str() {
                        "source" => &mut run.source,
                        "package_ref" => &mut run.package_ref,
                        _ => &mut run.borough,
                    };
                    if slot.is_some() {
                        return Err(run.stop(twice().into()));
                    }
                    *slot = Some(map.next_value::<Option<String>>()?);
                }
                "received_at" => {
                    if run.received_at.is_some() {
                        return Err(run.stop(twice().into()));
                    }
                    let s: String = map.next_value()?;
                    match crate::map::values::moment_of(&s) {
                        Ok(m) => run.received_at = Some(m.at),
                        Err(msg) => {
                            return Err(run.stop(IntakeError::new("received_at", msg).into()));
                        }
                    }
                }
                "reports" => {
                    if run.reports_seen {
                        return Err(run.stop(twice().into()));
                    }
                    run.reports_seen = true;
                    let complete = run.source.is_some()
                        && run.package_ref.is_some()
                        && run.received_at.is_some()
                        && run.borough.is_some();
                    if complete && let Err(e) = run.header() {
                        return Err(run.stop(e.into()));
                    }
                    map.next_value_seed(ReportsSeed {
                        run: &mut *run,
                        stream: complete,
                    })?;
                }
                "reportedInformation" => {
                    return Err(run.stop(
                        IntakeError::new(
                            "reportedInformation",
                            "this is NCMEC's law-enforcement JSON export of one CyberTipline report, not a \
                             Safeguard package: import it on its own, with its source and time of receipt \
                             as for a bare XML report",
                        )
                        .into(),
                    ));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    run.warnings.push(Warning {
                        path: key.clone(),
                        message: "unknown package field: not read".into(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The `reports` array: streamed to the sink when the header is complete, buffered otherwise.
struct ReportsSeed<'r, F, E> {
    run: &'r mut Run<F, E>,
    stream: bool,
}

impl<'de, F, E> DeserializeSeed<'de> for ReportsSeed<'_, F, E>
where
    F: FnMut(&PackageHeader, Report) -> Result<(), E>,
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F, E> Visitor<'de> for ReportsSeed<'_, F, E>
where
    F: FnMut(&PackageHeader, Report) -> Result<(), E>,
{
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of reports")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let run = self.run;
        loop {
            let index = run.count as usize;
            run.current = Some(index);
            let Some(entry) = seq.next_element_seed(EntrySeed(index))? else {
                break;
            };
            run.count += 1;
            if run.count > run.limits.max_reports {
                let msg = format!(
                    "a package may hold at most {} reports",
                    run.limits.max_reports
                );
                return Err(run.stop(IntakeError::new(format!("reports[{index}]"), msg).into()));
            }
            if self.stream {
                if let Err(e) = run.deliver(entry) {
                    return Err(run.stop(e));
                }
            } else {
                run.buffered.push(entry);
            }
        }
        run.current = None;
        Ok(())
    }
}

/// One `reports[i]` object.
struct EntrySeed(usize);

impl<'de> DeserializeSeed<'de> for EntrySeed {
    type Value = Entry;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Entry, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed {
    type Value = Entry;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a report object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
        let mut e = Entry {
            index: self.0,
            ..Entry::default()
        };
        while let Some(key) = map.next_key::<String>()? {
            let dup = match key.as_str() {
                "report_id" => e.report_id.replace(map.next_value()?).is_some(),
                "cybertip_xml" => e.cybertip_xml.replace(map.next_value()?).is_some(),
                "narrative" => e.narrative.replace(map.next_value()?).is_some(),
                "report" => e.report.replace(map.next_value()?).is_some(),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    e.unknown.push(key.clone());
                    false
                }
            };
            if dup {
                return Err(de::Error::custom(format!(
                    "`{key}` appears twice in one report"
                )));
            }
        }
        Ok(e)
    }
}
