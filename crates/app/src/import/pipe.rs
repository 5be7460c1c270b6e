//! The pipe between the parser's thread and the store's task: the package's bytes in 1 MiB chunks (so it
//! is kept as received) and each parsed report, already turned into rows, with a bound on the memory in
//! flight however large the reports.

use intake::model::{PackageHeader, Report};
use std::io::Read;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

/// What the parser sends the store: a piece of the package as received, or one report.
pub(super) enum Msg {
    Bytes(Vec<u8>),
    Report(Box<Parsed>),
    /// A file's details sent after its report, in a separate `<fileDetails>` document.
    FileDetails(Box<AttachedFile>),
}

/// A separate `<fileDetails>` document, turned into the rows to add to its report's referral.
pub(super) struct AttachedFile {
    pub(super) header: PackageHeader,
    pub(super) report_id: String,
    pub(super) file: store::ReportFile,
    pub(super) ip_events: Vec<store::ReportIpEvent>,
    pub(super) warnings: Vec<String>,
}

/// A report as the store's task needs it: its package's header, what its referral is made of, and the
/// rows to write, turned from the parsed report on the parser's thread so that the store's task does not
/// have to.
pub(super) struct Parsed {
    pub(super) header: PackageHeader,
    pub(super) facts: Facts,
    pub(super) rows: store::ReportRows,
}

/// What a report's referral is made of.
pub(super) struct Facts {
    pub(super) report_id: String,
    pub(super) incident_type: &'static str,
    pub(super) incident_at: jiff::Timestamp,
    pub(super) escalation: Option<String>,
    pub(super) narrative: Option<String>,
    pub(super) reported_person: domain::ReportedPerson,
}

impl Parsed {
    pub(super) fn new(header: &PackageHeader, r: Report) -> Self {
        let facts = Facts {
            report_id: r.report_id.clone(),
            incident_type: r.incident_type.as_str(),
            incident_at: r.incident_at.at,
            escalation: r.escalation.clone(),
            narrative: r.narrative.clone(),
            reported_person: r.reported_person(),
        };
        Parsed {
            header: header.clone(),
            facts,
            rows: super::rows::of(r),
        }
    }
}

impl Msg {
    /// Roughly the memory a message holds: its bytes, or a report's original and the fields parsed from it.
    pub(super) fn weight(&self) -> usize {
        match self {
            Msg::Bytes(b) => b.len(),
            Msg::Report(r) => 2 * r.rows.original.text.len() + 4096,
            Msg::FileDetails(_) => 4096,
        }
    }
}

pub(super) const CHUNK: usize = 1 << 20;

/// What the parser may have sent and the store not yet taken, in bytes: enough for the parser to run a
/// whole batch ahead of the store (so that parsing and writing overlap), bounded however large the reports.
pub(super) const IN_FLIGHT: usize = 32 << 20;

/// The parser's end of the pipe to the store: each message holds permits for its weight until the store
/// has taken it, so the memory between the two stays under `IN_FLIGHT`.
#[derive(Clone)]
pub(super) struct Pipe {
    pub(super) tx: mpsc::Sender<(Msg, OwnedSemaphorePermit)>,
    pub(super) budget: Arc<Semaphore>,
}

impl Pipe {
    /// Send from the parser's (blocking) thread; an error means the store has stopped listening.
    pub(super) fn send(&self, msg: Msg) -> Result<(), ()> {
        let weight = msg.weight().clamp(1, IN_FLIGHT) as u32;
        let permit = tokio::runtime::Handle::current()
            .block_on(Arc::clone(&self.budget).acquire_many_owned(weight))
            .map_err(|_| ())?;
        self.tx.blocking_send((msg, permit)).map_err(|_| ())
    }
}

/// Copies what the parser reads into 1 MiB messages for the store, so the package is kept as received.
pub(super) struct Tee<R> {
    pub(super) inner: R,
    pub(super) buf: Vec<u8>,
    pub(super) tx: Pipe,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.buf.extend_from_slice(&out[..n]);
        if self.buf.len() >= CHUNK || (n == 0 && !self.buf.is_empty()) {
            self.flush_chunk()?;
        }
        Ok(n)
    }
}

impl<R> Tee<R> {
    pub(super) fn flush_chunk(&mut self) -> std::io::Result<()> {
        let chunk = std::mem::take(&mut self.buf);
        self.tx
            .send(Msg::Bytes(chunk))
            .map_err(|_| std::io::Error::other("the import was abandoned"))
    }
}
