//! Maps an element tree (from either form) to the normalised [`Report`]: element names and nesting are
//! NCMEC's (formats.md). Unknown elements and attributes become warnings; a missing mandatory element or a
//! value that cannot be read is an error naming its location.

mod details;
mod file;
mod party;
pub(crate) mod values;

use crate::error::{IntakeError, Warning};
use crate::model::{IncidentType, Original, Report};
use crate::tree::Node;

/// What the mapping has noticed so far.
#[derive(Default)]
pub(crate) struct Ctx {
    pub warnings: Vec<Warning>,
}

impl Ctx {
    /// Visit `node`'s children; `f` answers `false` for a name it does not know, which becomes a warning.
    /// Attributes other than namespace declarations are warned about unless listed in `attrs`.
    pub fn each<'n>(
        &mut self,
        node: &'n Node,
        mut f: impl FnMut(&mut Ctx, &'n Node) -> Result<bool, IntakeError>,
    ) -> Result<(), IntakeError> {
        for c in &node.children {
            if !f(self, c)? {
                self.warnings.push(Warning {
                    path: c.loc.path.clone(),
                    message: format!(
                        "unknown element <{}>: kept in the original, not read",
                        c.name
                    ),
                });
            }
        }
        Ok(())
    }

    /// Warn about attributes of `node` not in `known`.
    pub fn attrs(&mut self, node: &Node, known: &[&str]) {
        for (k, _) in &node.attrs {
            let ns = k == "xmlns" || k.starts_with("xmlns:") || k.starts_with("xsi:");
            if !ns && !known.contains(&k.as_str()) {
                self.warnings.push(Warning {
                    path: node.attr_loc(k).path,
                    message: format!("unknown attribute {k}: kept in the original, not read"),
                });
            }
        }
    }

    /// A leaf's trimmed text, warning about any children or attributes it should not have.
    pub fn leaf(&mut self, node: &Node) -> Option<String> {
        self.attrs(node, &[]);
        let _ = self.each(node, |_, _| Ok(false));
        node.value()
    }

    /// Like [`Ctx::leaf`] but leaves the attributes to the caller.
    pub fn leaf_text(&mut self, node: &Node) -> Option<String> {
        let _ = self.each(node, |_, _| Ok(false));
        node.value()
    }

    /// The names of an element's empty children (`reportAnnotations`, `fileAnnotations`).
    pub fn flags(&mut self, node: &Node, known: &[&str]) -> Vec<String> {
        let mut out = vec![];
        for c in &node.children {
            if !known.contains(&c.name.as_str()) {
                self.warnings.push(Warning {
                    path: c.loc.path.clone(),
                    message: format!("annotation <{}> is not one Safeguard knows: kept", c.name),
                });
            }
            out.push(c.name.clone());
        }
        out
    }
}

/// Map the `report` element `root`.
pub(crate) fn report(
    root: &Node,
    report_id: String,
    original: Original,
    narrative: Option<String>,
) -> Result<Report, IntakeError> {
    let mut ctx = Ctx::default();
    ctx.attrs(root, &[]);
    let mut summary = None;
    let mut r = Report {
        report_id,
        original,
        incident_type: IncidentType::ChildPornography,
        incident_at: values::moment_of("1970-01-01T00:00:00Z").expect("a valid time"),
        incident_description: None,
        escalation: None,
        annotations: vec![],
        reporter_email: None,
        reported: vec![],
        intended_recipients: vec![],
        victims: vec![],
        files: vec![],
        narrative,
        details: Default::default(),
        incident_ip_events: vec![],
        warnings: vec![],
    };
    ctx.each(root, |ctx, c| {
        match c.name.as_str() {
            "incidentSummary" if summary.is_some() => {
                return Err(c.loc.err("incidentSummary appears twice"));
            }
            "incidentSummary" => summary = Some(c),
            "reporter" => {
                let rep = details::reporter(ctx, c, &mut r.reporter_email)?;
                r.details.reporter = (rep != Default::default()).then_some(rep);
            }
            "batchedReport" => r.details.batched_reason = details::batched(ctx, c),
            "internetDetails" => {
                details::internet(ctx, c, &mut r.details, &mut r.incident_ip_events)?
            }
            "lawEnforcement" => r
                .details
                .other_agencies
                .push(details::law_enforcement(ctx, c)?),
            "additionalInfo" => r.details.platform_narrative.extend(ctx.leaf(c)),
            "personOrUserReported" => {
                r.reported
                    .push(party::party(ctx, c, "personOrUserReportedPerson")?)
            }
            "intendedRecipient" => {
                r.intended_recipients
                    .push(party::party(ctx, c, "intendedRecipientPerson")?)
            }
            "victim" => r.victims.push(party::party(ctx, c, "victimPerson")?),
            "fileDetails" => r.files.push(file::file(ctx, c)?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let summary = summary.ok_or_else(|| {
        root.loc
            .child("incidentSummary")
            .err("the mandatory incidentSummary is missing")
    })?;
    incident_summary(&mut ctx, summary, &mut r)?;
    r.details.incident_time_description = r.incident_description.clone();
    r.warnings = ctx.warnings;
    Ok(r)
}

/// Map a separate `fileDetails` document (its root element), with the warnings it raised.
pub(crate) fn file_document(
    root: &Node,
) -> Result<(crate::model::FileDetails, Vec<Warning>), IntakeError> {
    let mut ctx = Ctx::default();
    let f = file::file(&mut ctx, root)?;
    Ok((f, ctx.warnings))
}

fn incident_summary(ctx: &mut Ctx, node: &Node, r: &mut Report) -> Result<(), IntakeError> {
    let (mut kind, mut at) = (None, None);
    ctx.attrs(node, &[]);
    ctx.each(node, |ctx, c| {
        match c.name.as_str() {
            "incidentType" => {
                let t = c.value().unwrap_or_default();
                kind = Some(IncidentType::parse(&t).ok_or_else(|| {
                    c.loc.err(format!("unknown incident type '{t}': it must be one of the eight CyberTipline types"))
                })?);
            }
            "incidentDateTime" => at = values::moment(c)?,
            "escalateToHighPriority" => r.escalation = ctx.leaf(c),
            "reportAnnotations" => r.annotations = ctx.flags(c, &ANNOTATIONS),
            "incidentDateTimeDescription" => r.incident_description = ctx.leaf(c),
            "platform" => r.details.platform = ctx.leaf(c),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    r.incident_type = kind.ok_or_else(|| {
        node.loc
            .child("incidentType")
            .err("the mandatory incidentType is missing")
    })?;
    r.incident_at = at.ok_or_else(|| {
        node.loc
            .child("incidentDateTime")
            .err("the mandatory incidentDateTime is missing")
    })?;
    Ok(())
}

/// `reportAnnotations` NCMEC defines.
const ANNOTATIONS: [&str; 6] = [
    "sextortion",
    "csamSolicitation",
    "minorToMinorInteraction",
    "spam",
    "sadisticOnlineExploitation",
    "informational",
];
