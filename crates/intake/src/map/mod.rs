//! Maps an element tree (from either form) to the normalised [`Report`]: element names and nesting are
//! NCMEC's (formats.md). Unknown elements and attributes become warnings; a missing mandatory element or a
//! value that cannot be read is an error naming its location.

mod file;
mod party;
pub(crate) mod values;

use crate::error::{IntakeError, Warning};
use crate::model::{IncidentType, Original, Report};
use crate::tree::Node;

/// Report-level elements NCMEC defines that Safeguard keeps in the original without reading.
const KNOWN_UNREAD: [&str; 3] = ["internetDetails", "lawEnforcement", "additionalInfo"];

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
        warnings: vec![],
    };
    ctx.each(root, |ctx, c| {
        match c.name.as_str() {
            "incidentSummary" if summary.is_some() => {
                return Err(c.loc.err("incidentSummary appears twice"));
            }
            "incidentSummary" => summary = Some(c),
            "reporter" => r.reporter_email = reporter_email(c),
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
            n => return Ok(KNOWN_UNREAD.contains(&n)),
        }
        Ok(true)
    })?;
    let summary = summary.ok_or_else(|| {
        root.loc
            .child("incidentSummary")
            .err("the mandatory incidentSummary is missing")
    })?;
    incident_summary(&mut ctx, summary, &mut r)?;
    r.warnings = ctx.warnings;
    Ok(r)
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
const ANNOTATIONS: [&str; 4] = [
    "sextortion",
    "csamSolicitation",
    "minorToMinorInteraction",
    "spam",
];

/// `reporter/reportingPerson/email` (the rest of `reporter` is NCMEC's and kept unread).
fn reporter_email(node: &Node) -> Option<String> {
    node.children
        .iter()
        .filter(|c| c.name == "reportingPerson")
        .flat_map(|c| &c.children)
        .filter(|c| c.name == "email")
        .find_map(Node::value)
}
