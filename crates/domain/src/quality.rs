//! Case quality reviews, as the inspectorate grades a force's cases (a quality review, not an audit: "audit" is
//! the access log). An auditor draws a sample of each BCU's referrals, stratified by status and risk level and
//! reproducible from a seed and a date; grades each referral against a configurable list of areas and overall;
//! and may refer it back with remedial actions. This module holds the areas, the grades and the draw.

use crate::{BcuId, ReferralId, RiskLevel};
use serde::{Deserialize, Serialize};

/// A grade, as the inspectorate gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// Good.
    Good,
    /// Requires improvement.
    RequiresImprovement,
    /// Inadequate.
    Inadequate,
}

impl Grade {
    /// Every grade, best first.
    pub const ALL: [Grade; 3] = [Grade::Good, Grade::RequiresImprovement, Grade::Inadequate];

    /// As stored (`requires_improvement`).
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Good => "good",
            Grade::RequiresImprovement => "requires_improvement",
            Grade::Inadequate => "inadequate",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Good => "Good",
            Grade::RequiresImprovement => "Requires improvement",
            Grade::Inadequate => "Inadequate",
        }
    }
}

impl std::str::FromStr for Grade {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Grade::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| {
                format!("'{s}' is not a grade (expected good, requires_improvement or inadequate)")
            })
    }
}

/// One area a referral is graded against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Stable key (`risk_assessment`).
    pub key: String,
    /// In words.
    pub label: String,
}

/// The areas a force grades its referrals against: configuration (TOML, `--quality-areas`), never code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityAreas {
    /// The areas, in the order a form shows them.
    pub areas: Vec<Area>,
}

impl Default for QualityAreas {
    /// The inspectorate's areas for child protection cases.
    fn default() -> Self {
        let areas = [
            ("initial_response", "Initial response"),
            ("risk_assessment", "Risk assessment and referral"),
            ("investigation", "Investigation"),
            ("decision_making", "Decision-making"),
            ("supervision", "Supervision"),
            ("safeguarding", "Safeguarding"),
        ]
        .into_iter()
        .map(|(key, label)| Area {
            key: key.into(),
            label: label.into(),
        })
        .collect();
        Self { areas }
    }
}

impl QualityAreas {
    /// Read a list from TOML (`[[areas]]` with `key` and `label`), checked.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let list: QualityAreas = toml::from_str(text).map_err(|e| e.to_string())?;
        list.validate()?;
        Ok(list)
    }

    /// At least one area; keys lowercase words with underscores, each once, and not `overall` (the overall
    /// grade is always asked for); labels given.
    pub fn validate(&self) -> Result<(), String> {
        if self.areas.is_empty() {
            return Err("the list needs at least one area".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for a in &self.areas {
            if a.key.is_empty()
                || a.key.len() > 40
                || !a
                    .key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
            {
                return Err(format!(
                    "area key '{}' must be 1 to 40 lowercase letters, digits or underscores",
                    a.key
                ));
            }
            if a.key == "overall" {
                return Err("'overall' is graded always: it cannot be an area".into());
            }
            if a.label.trim().is_empty() {
                return Err(format!("area '{}' needs a label", a.key));
            }
            if !seen.insert(a.key.as_str()) {
                return Err(format!("area '{}' is listed twice", a.key));
            }
        }
        Ok(())
    }
}

/// Why a set of grades is not complete.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GradingError {
    /// An area of the list has no grade.
    #[error("{0} needs a grade")]
    Missing(String),
    /// A grade for an area not on the list.
    #[error("'{0}' is not one of the areas")]
    UnknownArea(String),
}

/// Check that `grades` grades every area of `areas` once and nothing else.
pub fn check_grades(areas: &QualityAreas, grades: &[(String, Grade)]) -> Result<(), GradingError> {
    if let Some((k, _)) = grades
        .iter()
        .find(|(k, _)| !areas.areas.iter().any(|a| &a.key == k))
    {
        return Err(GradingError::UnknownArea(k.clone()));
    }
    match areas
        .areas
        .iter()
        .find(|a| !grades.iter().any(|(k, _)| *k == a.key))
    {
        Some(a) => Err(GradingError::Missing(a.label.clone())),
        None => Ok(()),
    }
}

/// The stratum a referral falls in: open or closed as at the sample's date, and its risk level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stratum {
    /// Closed on or before the sample's date.
    pub closed: bool,
    /// Its risk level (none: not assessed).
    pub level: Option<RiskLevel>,
}

impl Stratum {
    /// In words: `Open, High risk`, `Closed, not assessed`.
    pub fn words(&self) -> String {
        format!(
            "{}, {}",
            if self.closed { "Closed" } else { "Open" },
            self.level.map_or("not assessed".to_string(), |l| format!(
                "{} risk",
                l.label()
            ))
        )
    }
}

/// A referral that may be drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The referral.
    pub id: ReferralId,
    /// Its BCU.
    pub bcu: BcuId,
    /// Its stratum.
    pub stratum: Stratum,
}

/// The most referrals a sample draws per BCU.
pub const MAX_PER_BCU: usize = 50;

/// Draw up to `per_bcu` referrals from each BCU's candidates. Each BCU's draw is shared between its strata in
/// proportion to their size (largest remainders), every stratum getting at least one when the draw is large enough;
/// within a stratum, referrals are taken in the order of a hash of the seed, the date and the referral's id. The
/// same candidates, seed and date always give the same sample, whatever order the candidates come in.
pub fn draw(candidates: &[Candidate], seed: &str, date: &str, per_bcu: usize) -> Vec<ReferralId> {
    let mut by_bcu: std::collections::BTreeMap<String, Vec<&Candidate>> = Default::default();
    for c in candidates {
        by_bcu.entry(c.bcu.to_string()).or_default().push(c);
    }
    let mut out = vec![];
    for cands in by_bcu.values() {
        let mut strata: std::collections::BTreeMap<Stratum, Vec<ReferralId>> = Default::default();
        for c in cands {
            strata.entry(c.stratum).or_default().push(c.id);
        }
        let sizes: Vec<usize> = strata.values().map(Vec::len).collect();
        let quotas = allocate(&sizes, per_bcu.min(cands.len()));
        for (ids, quota) in strata.into_values().zip(quotas) {
            let mut keyed: Vec<(u64, String, ReferralId)> = ids
                .into_iter()
                .map(|id| {
                    let s = id.to_string();
                    (order_key(seed, date, &s), s, id)
                })
                .collect();
            keyed.sort();
            out.extend(keyed.into_iter().take(quota).map(|(_, _, id)| id));
        }
    }
    out
}

/// Share `n` among strata of `sizes` in proportion (largest remainders), at least one each when `n` allows,
/// never more than a stratum holds.
pub fn allocate(sizes: &[usize], n: usize) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    if total == 0 || n == 0 {
        return vec![0; sizes.len()];
    }
    let n = n.min(total);
    let mut quotas: Vec<usize> = sizes.iter().map(|s| s * n / total).collect();
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    // Largest remainder first; ties to the larger stratum, then the earlier one.
    order.sort_by_key(|&i| {
        (
            std::cmp::Reverse((sizes[i] * n) % total),
            std::cmp::Reverse(sizes[i]),
            i,
        )
    });
    let mut left = n - quotas.iter().sum::<usize>();
    for &i in order.iter().cycle().take(order.len() * 2) {
        if left == 0 {
            break;
        }
        if quotas[i] < sizes[i] {
            quotas[i] += 1;
            left -= 1;
        }
    }
    // Every stratum represented when the draw has room: take one from the largest quota.
    let non_empty = sizes.iter().filter(|s| **s > 0).count();
    if n >= non_empty {
        for i in 0..sizes.len() {
            if sizes[i] > 0 && quotas[i] == 0 {
                let donor = (0..sizes.len())
                    .filter(|&j| quotas[j] > 1)
                    .max_by_key(|&j| (quotas[j], std::cmp::Reverse(j)));
                if let Some(j) = donor {
                    quotas[j] -= 1;
                    quotas[i] = 1;
                }
            }
        }
    }
    quotas
}

/// A stable 64-bit key (FNV-1a, then a mixing step): the sample must be the same on every machine and version,
/// so no hasher whose output may change.
fn order_key(seed: &str, date: &str, id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed
        .bytes()
        .chain([0])
        .chain(date.bytes())
        .chain([0])
        .chain(id.bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

#[cfg(test)]
mod tests;
