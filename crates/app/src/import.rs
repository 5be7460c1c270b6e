//! Importing referral packages: one code path for `safeguard import`, `POST /api/v1/referrals` and the
//! upload form. The package streams through the parser on a blocking thread while the store writes each
//! report in a single transaction; any error anywhere rolls the whole package back.

mod identifiers;
mod rows;

use crate::access;
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use domain::{ForceId, Principal, Referral};
pub use intake::BareOptions;
pub use intake::json::PackageLimits;
use intake::json::ReadError;
use intake::model::{PackageHeader, Report};
/// The CyberTipline incident types, for a form that offers them.
pub use intake::package::INCIDENT_TYPES;
use std::io::Read;
use std::sync::Arc;
use store::{Inserted, NewReferral, PackageRecord, Store};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

/// The form of the input.
#[derive(Clone, Debug)]
pub enum Form {
    /// Safeguard's JSON package.
    Json,
    /// A bare CyberTipline XML report, with the package fields given by whoever imports it.
    Xml(BareOptions),
}

/// Who imports, for whom, and how much is allowed.
#[derive(Clone, Debug)]
pub struct ImportRequest {
    /// The force the package is for.
    pub force: ForceId,
    /// The person (or the command line) importing it.
    pub actor: store::Actor,
    /// The importing user's permissions; `None` for the command line (an operator of the database).
    pub principal: Option<Principal>,
    /// The form.
    pub form: Form,
    /// The file's name, if any.
    pub file_name: Option<String>,
    /// Size and count limits.
    pub limits: PackageLimits,
    /// Timeliness table (the triage clock).
    pub timeliness: domain::TimelinessTable,
    /// How many entries each of the result's lists (imported, duplicates, warnings) keeps; the counts are
    /// always whole. The API keeps every entry (its requests are limited in size); the command line keeps
    /// a few, so that its memory does not grow with the file.
    pub list_limit: usize,
}

/// What an import did.
#[derive(Debug, Default, serde::Serialize)]
pub struct ImportResult {
    /// New referrals (the first `list_limit` of them).
    pub imported: Vec<ImportedReport>,
    /// Reports already stored: nothing changed (the first `list_limit`).
    pub duplicates: Vec<ImportedReport>,
    /// Non-fatal observations (unknown elements, an unknown borough; the first `list_limit`).
    pub warnings: Vec<String>,
    /// The stored package's SHA-256.
    pub package_sha256: Option<String>,
    /// How many of each, in full.
    pub counts: ImportCounts,
}

/// The whole counts of an import, however many entries its lists keep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    /// New referrals.
    pub imported: u64,
    /// Reports already stored.
    pub duplicates: u64,
    /// New referrals that joined an existing subject.
    pub joined_existing_subject: u64,
    /// New referrals with suggested links waiting for a decision.
    pub with_suggested_links: u64,
    /// Warnings.
    pub warnings: u64,
}

impl ImportResult {
    fn warn(&mut self, limit: usize, w: String) {
        self.counts.warnings += 1;
        if self.warnings.len() < limit {
            self.warnings.push(w);
        }
    }

    fn record(&mut self, limit: usize, o: store::ReportOutcome) {
        let link = o.link.as_ref();
        let entry = |id: domain::ReferralId| ImportedReport {
            report_id: o.report_id.clone(),
            id: id.to_string(),
            subject_id: link.map(|l| l.subject_id.clone()),
            joined_existing_subject: link.is_some_and(|l| l.joined_existing),
            suggested_links: link
                .map(|l| {
                    l.suggestions
                        .iter()
                        .map(|(s, b)| format!("subject {s}: {b}"))
                        .collect()
                })
                .unwrap_or_default(),
        };
        match o.inserted {
            Inserted::Created(id) => {
                self.counts.imported += 1;
                self.counts.joined_existing_subject +=
                    u64::from(link.is_some_and(|l| l.joined_existing));
                self.counts.with_suggested_links +=
                    u64::from(link.is_some_and(|l| !l.suggestions.is_empty()));
                if self.imported.len() < limit {
                    self.imported.push(entry(id));
                }
            }
            Inserted::Duplicate(id) => {
                self.counts.duplicates += 1;
                if self.duplicates.len() < limit {
                    self.duplicates.push(entry(id));
                }
            }
        }
    }
}

/// One report of a package and its referral.
#[derive(Debug, serde::Serialize)]
pub struct ImportedReport {
    /// The report's id in its source.
    pub report_id: String,
    /// The referral's id.
    pub id: String,
    /// The subject it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<String>,
    /// Whether it joined an existing subject (a case already known).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub joined_existing_subject: bool,
    /// Weak matches waiting for a decision.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggested_links: Vec<String>,
}

enum Msg {
    Bytes(Vec<u8>),
    Report(Box<Parsed>),
}

/// A report as the store's task needs it: its package's header, what its referral is made of, and the
/// rows to write, turned from the parsed report on the parser's thread so that the store's task does not
/// have to.
struct Parsed {
    header: PackageHeader,
    facts: Facts,
    rows: store::ReportRows,
}

/// What a report's referral is made of.
struct Facts {
    report_id: String,
    incident_type: &'static str,
    incident_at: jiff::Timestamp,
    escalation: Option<String>,
    narrative: Option<String>,
    reported_person: domain::ReportedPerson,
}

impl Parsed {
    fn new(header: &PackageHeader, r: Report) -> Self {
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
            rows: rows::of(r),
        }
    }
}

impl Msg {
    /// Roughly the memory a message holds: its bytes, or a report's original and the fields parsed from it.
    fn weight(&self) -> usize {
        match self {
            Msg::Bytes(b) => b.len(),
            Msg::Report(r) => 2 * r.rows.original.text.len() + 4096,
        }
    }
}

const CHUNK: usize = 1 << 20;

/// What the parser may have sent and the store not yet taken, in bytes: enough for the parser to run a
/// whole batch ahead of the store (so that parsing and writing overlap), bounded however large the reports.
const IN_FLIGHT: usize = 32 << 20;

/// The parser's end of the pipe to the store: each message holds permits for its weight until the store
/// has taken it, so the memory between the two stays under `IN_FLIGHT`.
#[derive(Clone)]
struct Pipe {
    tx: mpsc::Sender<(Msg, OwnedSemaphorePermit)>,
    budget: Arc<Semaphore>,
}

impl Pipe {
    /// Send from the parser's (blocking) thread; an error means the store has stopped listening.
    fn send(&self, msg: Msg) -> Result<(), ()> {
        let weight = msg.weight().clamp(1, IN_FLIGHT) as u32;
        let permit = tokio::runtime::Handle::current()
            .block_on(Arc::clone(&self.budget).acquire_many_owned(weight))
            .map_err(|_| ())?;
        self.tx.blocking_send((msg, permit)).map_err(|_| ())
    }
}

/// Copies what the parser reads into 1 MiB messages for the store, so the package is kept as received.
struct Tee<R> {
    inner: R,
    buf: Vec<u8>,
    tx: Pipe,
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
    fn flush_chunk(&mut self) -> std::io::Result<()> {
        let chunk = std::mem::take(&mut self.buf);
        self.tx
            .send(Msg::Bytes(chunk))
            .map_err(|_| std::io::Error::other("the import was abandoned"))
    }
}

/// Import one package from a reader (a file, or a request body) as the database's operator (the command
/// line, the benchmark): no need-to-know check beyond the force the request names.
pub async fn import<R: Read + Send + 'static>(
    app: &App,
    req: ImportRequest,
    reader: R,
) -> Result<ImportResult, Error> {
    let store = app.store();
    let (sender, mut rx) = mpsc::channel(4 * store::IMPORT_BATCH);
    let tx = Pipe {
        tx: sender,
        budget: Arc::new(Semaphore::new(IN_FLIGHT)),
    };
    let form = req.form.clone();
    let limits = req.limits;
    let parser =
        tokio::task::spawn_blocking(move || -> Result<Vec<String>, intake::IntakeError> {
            let mut tee = Tee {
                inner: reader,
                buf: Vec::new(),
                tx: tx.clone(),
            };
            let warnings = match form {
                Form::Json => {
                    let sink = |h: &PackageHeader, r: Report| {
                        tx.send(Msg::Report(Box::new(Parsed::new(h, r))))
                    };
                    match intake::json::read_json_package(
                        std::io::BufReader::new(&mut tee),
                        &limits,
                        sink,
                    ) {
                        Ok(summary) => summary.warnings.iter().map(|w| w.to_string()).collect(),
                        Err(ReadError::Invalid(e)) => return Err(e),
                        Err(ReadError::Sink(())) => return Ok(vec![]),
                        Err(ReadError::Io(e)) => {
                            return Err(intake::IntakeError::new(
                                "(package)",
                                format!("could not be read: {e}"),
                            ));
                        }
                    }
                }
                Form::Xml(opts) => {
                    let mut bytes = Vec::new();
                    (&mut tee)
                        .take(limits.max_bytes + 1)
                        .read_to_end(&mut bytes)
                        .map_err(|e| {
                            intake::IntakeError::new("(file)", format!("could not be read: {e}"))
                        })?;
                    if bytes.len() as u64 > limits.max_bytes {
                        return Err(intake::IntakeError::new(
                            "(file)",
                            format!(
                                "the report is over the limit of {} MiB",
                                limits.max_bytes >> 20
                            ),
                        ));
                    }
                    let pkg = intake::parse_cybertip_xml(&bytes, &opts)?;
                    for r in pkg.reports {
                        if tx
                            .send(Msg::Report(Box::new(Parsed::new(&pkg.header, r))))
                            .is_err()
                        {
                            return Ok(vec![]);
                        }
                    }
                    pkg.warnings.iter().map(|w| w.to_string()).collect()
                }
            };
            let _ = tee.flush_chunk();
            Ok(warnings)
        });
    let stored = store_messages(store, &req, &mut rx).await;
    drop(rx);
    let parsed = parser
        .await
        .map_err(|e| Error::Internal(format!("the import thread failed: {e}")))?;
    let (txn, mut result) = match (parsed, stored) {
        (Err(e), _) => return Err(invalid(e)),
        (Ok(_), Err(e)) => return Err(e),
        (Ok(w), Ok((txn, mut result))) => {
            // The package's own warnings (known once it is read) come before each report's.
            result.counts.warnings += w.len() as u64;
            let mut warnings = w;
            warnings.append(&mut result.warnings);
            warnings.truncate(req.list_limit);
            result.warnings = warnings;
            (txn, result)
        }
    };
    result.package_sha256 = txn.commit().await?;
    Ok(result)
}

fn invalid(e: intake::IntakeError) -> Error {
    Error::Invalid {
        code: "package.invalid",
        message: e.message.clone(),
        location: Some(e.location.clone()),
    }
}

async fn store_messages(
    store: &Store,
    req: &ImportRequest,
    rx: &mut mpsc::Receiver<(Msg, OwnedSemaphorePermit)>,
) -> Result<(store::ImportTx, ImportResult), Error> {
    let mut txn = store.begin_import(req.force, req.actor.clone()).await?;
    let content_type = match req.form {
        Form::Json => "application/json",
        Form::Xml(_) => "application/xml",
    };
    txn.begin_package(content_type, req.file_name.as_deref())
        .await?;
    let mut result = ImportResult::default();
    let mut routed: Option<(Option<domain::BcuId>, Option<String>)> = None;
    while let Some((msg, _permit)) = rx.recv().await {
        match msg {
            Msg::Bytes(b) => txn.add_bytes(&b).await?,
            Msg::Report(boxed) => {
                let Parsed {
                    header,
                    facts,
                    rows,
                } = *boxed;
                if routed.is_none() {
                    let mut warnings = vec![];
                    routed = Some(route(store, req, &header, &mut warnings).await?);
                    for w in warnings {
                        result.warn(req.list_limit, w);
                    }
                    txn.set_package_header(&PackageRecord {
                        source: header.source.clone(),
                        package_ref: header.package_ref.clone(),
                        received_at: header.received_at,
                        borough: header.borough.clone(),
                    })
                    .await?;
                }
                let (bcu, borough) = routed.clone().expect("routed above");
                for w in &rows.warnings {
                    let w = format!("report {}: {w}", facts.report_id);
                    result.warn(req.list_limit, w);
                }
                let new = new_referral(req, &header, facts, bcu, borough);
                for o in txn.add_report(new, rows).await? {
                    result.record(req.list_limit, o);
                }
            }
        }
    }
    for o in txn.flush().await? {
        result.record(req.list_limit, o);
    }
    Ok((txn, result))
}

/// Route by the package's borough, refusing a package whose referrals the importing user could not see,
/// and a receipt time in the future.
async fn route(
    store: &Store,
    req: &ImportRequest,
    h: &PackageHeader,
    warnings: &mut Vec<String>,
) -> Result<(Option<domain::BcuId>, Option<String>), Error> {
    domain::time::check_receipt(h.received_at, jiff::Timestamp::now())
        .map_err(|e| Error::invalid_at("package.invalid", e.to_string(), "received_at"))?;
    let covering = match h.borough.as_deref() {
        Some(b) => store.bcu_for_borough(req.force, b, h.received_at).await?,
        None => None,
    };
    let routed = domain::routing::route_by_borough(h.borough.as_deref(), covering);
    warnings.extend(routed.warning);
    if let Some(p) = &req.principal
        && !domain::routing::may_create_in(p, req.force, routed.bcu)
    {
        return Err(Error::invalid(
            "referral.outside_bcu",
            "This referral would belong outside your BCU: send it to the central referrals desk.",
        ));
    }
    Ok((routed.bcu, routed.borough))
}

fn new_referral(
    req: &ImportRequest,
    h: &PackageHeader,
    r: Facts,
    bcu: Option<domain::BcuId>,
    borough: Option<String>,
) -> NewReferral {
    let referral = Referral::new_received(
        domain::Received {
            force: req.force,
            bcu,
            borough,
            source: h.source.clone(),
            package_ref: h.package_ref.clone(),
            report_id: r.report_id,
            received_at: h.received_at,
            incident_type: r.incident_type.to_string(),
            incident_at: Some(r.incident_at),
            escalation: r.escalation,
            summary: r.narrative.unwrap_or_default(),
            reported_person: r.reported_person,
        },
        &req.timeliness,
    );
    // The report as received is kept once, as its original (report_originals), not again on the referral.
    NewReferral::fresh(
        referral,
        String::new(),
        &req.timeliness.version,
        req.actor.user,
        &req.actor.display_name,
    )
}

/// Import a package for a signed-in user: the need-to-know check (who may create referrals, and only
/// where they could then see them), then the same path as the command line, with the API's limits.
pub async fn import_as<R: Read + Send + 'static>(
    app: &App,
    actor: &Actor,
    form: Form,
    file_name: Option<String>,
    reader: R,
) -> Result<ImportResult, Error> {
    access::require(
        app,
        actor,
        Action::CreateReferral,
        Processing::Collection,
        "create referral",
    )
    .await?;
    let req = ImportRequest {
        force: actor.user.force,
        actor: actor.author(),
        principal: Some(actor.principal()),
        form,
        file_name,
        limits: PackageLimits::API,
        timeliness: app.config().timeliness.clone(),
        list_limit: usize::MAX,
    };
    import(app, req, reader).await
}

/// The author of an import from the command line: the operator, by their account on the machine.
pub fn operator(os_user: &str) -> store::Actor {
    store::Actor {
        user: None,
        username: format!("cli:{os_user}"),
        display_name: format!("Command-line import ({os_user})"),
        justification: None,
    }
}

/// A referral typed in by hand (the new-referral form): the fields a desk officer copies from a package
/// that did not arrive as a file. Blank fields are left out of the report.
#[derive(Clone, Debug, Default)]
pub struct ManualReferral {
    /// Force receipt; now when absent.
    pub received_at: Option<jiff::Timestamp>,
    /// The report's id; a fresh `MAN-…` id when blank.
    pub report_id: String,
    /// The borough named.
    pub borough: String,
    /// CyberTipline incident type.
    pub incident_type: String,
    /// When the incident happened; the receipt time when absent.
    pub incident_at: Option<jiff::Timestamp>,
    /// The escalation text, if the sender escalated it.
    pub escalation: String,
    /// The narrative.
    pub narrative: String,
    /// The reported person's first name.
    pub first_name: String,
    /// Their last name.
    pub last_name: String,
    /// Their email address.
    pub email: String,
    /// Their phone number.
    pub phone: String,
    /// Their screen name.
    pub screen_name: String,
    /// The service the screen name is on.
    pub esp_service: String,
}

/// Create a referral typed in by hand, through the same checks and path as an imported package (so the
/// same field errors, linking and logging apply). Returns the import's answer, whose one entry is the
/// referral created, or the one already stored for that report id.
pub async fn create_by_hand(
    app: &App,
    actor: &Actor,
    m: &ManualReferral,
) -> Result<ImportResult, Error> {
    let received_at = m.received_at.unwrap_or_else(jiff::Timestamp::now);
    let report_id = match m.report_id.trim() {
        "" => format!("MAN-{}", &crate::auth::random_token()[..10].to_uppercase()),
        given => given.to_string(),
    };
    let package = serde_json::json!({
        "source": "manual",
        "received_at": received_at.to_string(),
        "borough": m.borough.trim(),
        "reports": [{
            "report_id": report_id,
            "narrative": m.narrative.trim(),
            "report": {
                "incidentSummary": {
                    "incidentType": m.incident_type.trim(),
                    "incidentDateTime": m.incident_at.unwrap_or(received_at).to_string(),
                    "escalateToHighPriority": m.escalation.trim(),
                },
                "personOrUserReported": {
                    "personOrUserReportedPerson": {
                        "firstName": m.first_name.trim(), "lastName": m.last_name.trim(),
                        "email": m.email.trim(), "phone": m.phone.trim(),
                    },
                    "screenName": m.screen_name.trim(),
                    "espService": m.esp_service.trim(),
                }
            }
        }]
    });
    let bytes = package.to_string().into_bytes();
    import_as(app, actor, Form::Json, None, std::io::Cursor::new(bytes)).await
}
