//! Importing referral packages: one code path for `safeguard import`, `POST /api/v1/referrals` and the
//! upload form. The package streams through the parser on a blocking thread while the store writes each
//! report in a single transaction; any error anywhere rolls the whole package back.

mod identifiers;
mod manual;
mod pipe;
mod result;
mod rows;

pub use manual::{ManualReferral, create_by_hand};
use pipe::{Facts, IN_FLIGHT, Msg, Parsed, Pipe, Tee};
pub use result::{ImportCounts, ImportResult, ImportedReport};

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
use store::{NewReferral, PackageRecord, Store};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

/// The form of the input.
#[derive(Clone, Debug)]
pub enum Form {
    /// Safeguard's JSON package.
    Json,
    /// A bare CyberTipline XML report (or a separate `<fileDetails>` document), with the package fields
    /// given by whoever imports it.
    Xml(BareOptions),
    /// NCMEC's law-enforcement JSON export of one report, with the package fields given as for XML
    /// ([`is_ncmec_export`] tells it from a package).
    NcmecJson(BareOptions),
}

/// Whether a JSON document starting with `prefix` is NCMEC's law-enforcement export of a report rather
/// than Safeguard's package (its top-level object has `reportedInformation`).
pub fn is_ncmec_export(prefix: &[u8]) -> bool {
    intake::ncmec_json::is_le_export(prefix)
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
    /// The earliest date a receipt or incident may have.
    pub earliest: jiff::civil::Date,
    /// How many entries each of the result's lists (imported, duplicates, warnings) keeps; the counts are
    /// always whole. The API keeps every entry (its requests are limited in size); the command line keeps
    /// a few, so that its memory does not grow with the file.
    pub list_limit: usize,
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
                Form::NcmecJson(opts) => {
                    let bytes = read_whole(&mut tee, limits.max_bytes)?;
                    let pkg = intake::ncmec_json::parse_le_export(&bytes, &opts)?;
                    for r in pkg.reports {
                        if tx
                            .send(Msg::Report(Box::new(Parsed::new(&pkg.header, r))))
                            .is_err()
                        {
                            return Ok(vec![]);
                        }
                    }
                    vec![]
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
                    let pkg = match intake::parse_cybertip_document(&bytes, &opts)? {
                        intake::XmlDocument::Report(pkg) => pkg,
                        intake::XmlDocument::FileDetails(doc) => {
                            let doc = *doc;
                            let (file, ip_events) = rows::attached(doc.file);
                            let msg = pipe::AttachedFile {
                                header: PackageHeader {
                                    source: doc.source,
                                    package_ref: opts.package_ref.clone(),
                                    received_at: opts.received_at,
                                    borough: opts.borough.clone(),
                                },
                                report_id: doc.report_id,
                                file,
                                ip_events,
                                warnings: doc.warnings.iter().map(|w| w.to_string()).collect(),
                            };
                            let _ = tx.send(Msg::FileDetails(Box::new(msg)));
                            let _ = tee.flush_chunk();
                            return Ok(vec![]);
                        }
                    };
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

/// Read a whole document of at most `max` bytes.
fn read_whole(r: &mut impl Read, max: u64) -> Result<Vec<u8>, intake::IntakeError> {
    let mut bytes = Vec::new();
    r.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| intake::IntakeError::new("(file)", format!("could not be read: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(intake::IntakeError::new(
            "(file)",
            format!("the report is over the limit of {} MiB", max >> 20),
        ));
    }
    Ok(bytes)
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
        Form::Json | Form::NcmecJson(_) => "application/json",
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
                check_incident(req, &header, &facts)?;
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
            Msg::FileDetails(boxed) => {
                attach(store, req, &mut txn, *boxed, &mut result).await?;
            }
        }
    }
    for o in txn.flush().await? {
        result.record(req.list_limit, o);
    }
    Ok((txn, result))
}

/// Add a separate `<fileDetails>` document to the referral of the report it names. A report from another
/// source, not imported yet, or outside what the importing user could create is refused the same way, so
/// that the refusal says nothing of referrals the user may not see.
async fn attach(
    store: &Store,
    req: &ImportRequest,
    txn: &mut store::ImportTx,
    doc: pipe::AttachedFile,
    result: &mut ImportResult,
) -> Result<(), Error> {
    let h = &doc.header;
    check_receipt(req, h)?;
    txn.set_package_header(&PackageRecord {
        source: h.source.clone(),
        package_ref: h.package_ref.clone(),
        received_at: h.received_at,
        borough: h.borough.clone(),
    })
    .await?;
    let missing = || Error::Invalid {
        code: "package.invalid",
        message: format!(
            "No report '{}' from {} has been imported: import the report before the details of its files.",
            doc.report_id, h.source
        ),
        location: Some("fileDetails/reportId".into()),
    };
    let (id, added) = match txn
        .attach_file(&h.source, &doc.report_id, doc.file, doc.ip_events)
        .await?
    {
        store::Attached::NoSuchReport => return Err(missing()),
        store::Attached::Added(id) => (id, true),
        store::Attached::Duplicate(id) => (id, false),
    };
    if let Some(p) = &req.principal {
        let r = store.referral(id).await?.ok_or_else(missing)?;
        if !domain::routing::may_create_in(p, req.force, r.bcu) {
            return Err(missing());
        }
    }
    for w in doc.warnings {
        result.warn(
            req.list_limit,
            format!("file details for report {}: {w}", doc.report_id),
        );
    }
    result.attach(req.list_limit, doc.report_id, id, added);
    Ok(())
}

/// Refuse a receipt in the future or before the earliest date: the clocks run from it.
fn check_receipt(req: &ImportRequest, h: &PackageHeader) -> Result<(), Error> {
    let bad = |m: String| Error::invalid_at("package.invalid", m, "received_at");
    domain::time::check_receipt(h.received_at, jiff::Timestamp::now())
        .map_err(|e| bad(e.to_string()))?;
    domain::time::check_not_before(h.received_at, req.earliest)
        .map_err(|e| bad(format!("the receipt: {e}")))
}

/// Refuse an incident after the report was received, or before the earliest date.
fn check_incident(req: &ImportRequest, h: &PackageHeader, f: &pipe::Facts) -> Result<(), Error> {
    let at = format!("report {}: incidentDateTime", f.report_id);
    if f.incident_at > h.received_at + domain::time::CLOCK_SKEW {
        return Err(Error::invalid_at(
            "package.invalid",
            format!(
                "the incident ({}) is after the report was received ({})",
                domain::time::display(f.incident_at),
                domain::time::display(h.received_at)
            ),
            at,
        ));
    }
    domain::time::check_not_before(f.incident_at, req.earliest)
        .map_err(|e| Error::invalid_at("package.invalid", format!("the incident: {e}"), at))
}

/// Route by the package's borough, refusing a package whose referrals the importing user could not see,
/// and a receipt time in the future.
async fn route(
    store: &Store,
    req: &ImportRequest,
    h: &PackageHeader,
    warnings: &mut Vec<String>,
) -> Result<(Option<domain::BcuId>, Option<String>), Error> {
    check_receipt(req, h)?;
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
        earliest: app.config().earliest,
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
