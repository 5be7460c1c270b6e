//! What an import answers: the referrals created, the duplicates and warnings (lists capped, counts
//! whole), and how each new referral was linked to a subject.

use store::Inserted;

/// What an import did.
#[derive(Debug, Default, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    /// New referrals (the first `list_limit` of them).
    pub imported: Vec<ImportedReport>,
    /// Reports already stored: nothing changed (the first `list_limit`).
    pub duplicates: Vec<ImportedReport>,
    /// Referrals that a separate `<fileDetails>` document added a file to (the first `list_limit`).
    pub file_details_attached: Vec<ImportedReport>,
    /// Non-fatal observations (unknown elements, an unknown borough; the first `list_limit`).
    pub warnings: Vec<String>,
    /// The stored package's SHA-256.
    pub package_sha256: Option<String>,
    /// How many of each, in full.
    pub counts: ImportCounts,
}

/// The whole counts of an import, however many entries its lists keep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    /// New referrals.
    pub imported: u64,
    /// Reports already stored (and file details already attached).
    pub duplicates: u64,
    /// Files added to earlier referrals by separate `<fileDetails>` documents.
    pub file_details_attached: u64,
    /// New referrals that joined an existing subject.
    pub joined_existing_subject: u64,
    /// New referrals with suggested links waiting for a decision.
    pub with_suggested_links: u64,
    /// Warnings.
    pub warnings: u64,
}

impl ImportResult {
    pub(super) fn warn(&mut self, limit: usize, w: String) {
        self.counts.warnings += 1;
        if self.warnings.len() < limit {
            self.warnings.push(w);
        }
    }

    pub(super) fn attach(
        &mut self,
        limit: usize,
        report_id: String,
        id: domain::ReferralId,
        added: bool,
    ) {
        let entry = ImportedReport {
            report_id,
            id: id.to_string(),
            subject_id: None,
            joined_existing_subject: false,
            suggested_links: vec![],
            triage_due_at: None,
        };
        if added {
            self.counts.file_details_attached += 1;
            if self.file_details_attached.len() < limit {
                self.file_details_attached.push(entry);
            }
        } else {
            self.counts.duplicates += 1;
            if self.duplicates.len() < limit {
                self.duplicates.push(entry);
            }
        }
    }

    pub(super) fn record(&mut self, limit: usize, o: store::ReportOutcome) {
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
            triage_due_at: o
                .due_at
                .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// For a new referral, when its triage (risk assessment) is due (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triage_due_at: Option<String>,
}
