//! The printed documents, as PDF: a section 55 response (a letter to the Home Secretary, copied to the
//! inspectorate) and a board pack drawn from its frozen snapshot. Each is built from the same values as its
//! page, so the PDF shows the same words and figures.

use crate::views::long_date as long;
use app::governance::InspectionView;
use app::governance::board::Pack;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::governance::ForceStatus;
use pdf::{Block, Chart, Doc, Series, Style};

/// A PDF answer, to be saved as `name`.
pub fn answer(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The section 55 response as a letter.
pub fn response(i: &InspectionView) -> Doc {
    let mut blocks = vec![
        Block::P("To: the Home Secretary".into()),
        Block::P(format!("Copy: {}", i.inspectorate)),
        Block::P(format!(
            "Date: {}",
            i.s55_published_on
                .as_deref()
                .map(long)
                .unwrap_or_else(|| "Draft: not yet published".into())
        )),
        Block::H1(format!(
            "Response under section 55 of the Police Act 1996 to “{}”",
            i.title
        )),
        Block::P(format!(
            "Report published {}; comments due by {}.",
            long(&i.published_on),
            long(&i.s55_last_day)
        )),
    ];
    let r = i.response.as_ref();
    blocks.push(Block::H2("Covering text".into()));
    match r
        .map(|r| r.covering.as_str())
        .filter(|c| !c.trim().is_empty())
    {
        Some(c) => blocks.extend(c.split("\n\n").map(|p| Block::P(p.to_string()))),
        None => blocks.push(Block::P("Not yet written.".into())),
    }
    blocks.push(Block::H2("The recommendations".into()));
    for rec in &i.recommendations {
        blocks.push(Block::H3(format!("Recommendation {}", rec.number)));
        blocks.push(Block::P(format!(
            "{}{}",
            rec.text,
            if rec.paraphrased {
                " (paraphrased)"
            } else {
                ""
            }
        )));
        match r.and_then(|r| r.answers.iter().find(|a| a.recommendation == rec.id)) {
            Some(a) => blocks.push(Block::P(format!("{}: {}", a.kind_label, a.text))),
            None => blocks.push(Block::P("Not yet answered.".into())),
        }
    }
    blocks.push(Block::H2("The chief officer's comments".into()));
    match r
        .map(|r| r.chief_officer.as_str())
        .filter(|c| !c.trim().is_empty())
    {
        Some(c) => blocks.extend(c.split("\n\n").map(|p| Block::P(p.to_string()))),
        None => blocks.push(Block::P("None given.".into())),
    }
    Doc {
        title: format!("Section 55 response: {}", i.title),
        blocks,
    }
}

/// A chart of a board pack, drawn the same on its page (SVG) and in its PDF, with a table of the same figures.
pub struct PackChart {
    /// Its id on the page.
    pub id: &'static str,
    /// The table (or section, `tracker`) it goes with.
    pub after: &'static str,
    /// Its title.
    pub title: String,
    /// What it shows, in words.
    pub desc: String,
    /// Bars or lines.
    pub style: Style,
    /// The labels along the bottom.
    pub labels: Vec<String>,
    /// Its series: a name and a value per label (a number, or its marker).
    pub series: Vec<(String, Vec<Result<f64, String>>)>,
}

impl PackChart {
    /// The PDF's chart.
    pub fn pdf(&self, titled: bool) -> Chart {
        Chart {
            title: if titled {
                self.title.clone()
            } else {
                String::new()
            },
            alt: format!("{}. {}", self.title, self.desc),
            style: self.style,
            labels: self.labels.clone(),
            series: self
                .series
                .iter()
                .map(|(name, values)| Series {
                    name: name.clone(),
                    values: values.clone(),
                })
                .collect(),
        }
    }

    /// The page's chart.
    pub fn svg(&self) -> maud::Markup {
        let marker = |m: &str| -> &'static str {
            match m {
                "[c]" => "[c]",
                "[low]" => "[low]",
                _ => "[x]",
            }
        };
        let values = |v: &[Result<f64, String>]| -> Vec<crate::charts::Value> {
            v.iter()
                .map(|x| x.as_ref().copied().map_err(|m| marker(m)))
                .collect()
        };
        match self.style {
            Style::Bars => crate::charts::bars(
                self.id,
                &self.title,
                &self.desc,
                &self.labels,
                &values(
                    self.series
                        .first()
                        .map(|s| s.1.as_slice())
                        .unwrap_or_default(),
                ),
            ),
            Style::Lines => {
                let series: Vec<(&str, Vec<crate::charts::Value>)> = self
                    .series
                    .iter()
                    .map(|(n, v)| (n.as_str(), values(v)))
                    .collect();
                crate::charts::lines(self.id, &self.title, &self.desc, &self.labels, &series)
            }
        }
    }
}

/// A pack's cell as a number: a count, or a share written `72%`; otherwise its marker.
fn number(cell: &str) -> Result<f64, String> {
    let cell = cell.trim();
    match cell.strip_suffix('%') {
        Some(p) => p.parse::<f64>().map(|x| x / 100.0),
        None => cell.parse::<f64>(),
    }
    .map_err(|_| cell.to_string())
}

/// The force's status a pack's recommendation is in (its words start with the status's label).
fn force_status_label(words: &str) -> &'static str {
    ForceStatus::ALL
        .iter()
        .map(|s| s.label())
        .find(|l| words.starts_with(l))
        .unwrap_or("None recorded")
}

/// The charts of a board pack: the recommendations by the force's status, the referrals received each month,
/// and the share of first actions on time with the NFA rate each month.
pub fn pack_charts(p: &Pack) -> Vec<PackChart> {
    let mut out = vec![];
    let mut labels: Vec<String> = ForceStatus::ALL
        .iter()
        .map(|s| s.label().to_string())
        .collect();
    labels.push("None recorded".into());
    let counts: Vec<Result<f64, String>> = labels
        .iter()
        .map(|l| {
            Ok(p.inspections
                .iter()
                .flat_map(|i| &i.recommendations)
                .filter(|r| force_status_label(&r.force_status) == l)
                .count() as f64)
        })
        .collect();
    out.push(PackChart {
        id: "pack-status",
        after: "tracker",
        title: format!("Recommendations by the force's status, {}", long(&p.as_at)),
        desc: "A bar for each of the force's statuses; its height is the number of recommendations, of every report, in that status. The same figures are in the table below.".into(),
        style: Style::Bars,
        labels,
        series: vec![("Recommendations".into(), counts)],
    });
    if let Some(t) = p.figures.tables.iter().find(|t| t.id == "monthly") {
        let col = |name: &str| t.columns.iter().position(|c| c == name);
        let months: Vec<_> = t
            .rows
            .iter()
            .filter(|r| r.label != "Period total")
            .collect();
        let short: Vec<String> = months
            .iter()
            .map(|r| r.label.split(' ').next().unwrap_or("").to_string())
            .collect();
        let values = |i: Option<usize>| -> Vec<Result<f64, String>> {
            months
                .iter()
                .map(|r| match i.and_then(|i| r.cells.get(i)) {
                    Some(c) => number(c),
                    None => Err("[x]".to_string()),
                })
                .collect()
        };
        out.push(PackChart {
            id: "pack-received",
            after: "monthly",
            title: format!("Referrals received by month, {}", p.figures.period),
            desc: "A bar for each month; its height is the referrals received. The same figures are in the table below.".into(),
            style: Style::Bars,
            labels: short.clone(),
            series: vec![("Received".into(), values(col("Received")))],
        });
        out.push(PackChart {
            id: "pack-rates",
            after: "monthly",
            title: format!("Share of first actions on time and NFA rate by month, {}", p.figures.period),
            desc: "Two lines across the months, from 0% to 100%: the share of first enforcement actions on time (solid line, round markers) and the NFA rate (dashed line, square markers). The same figures are in the table below.".into(),
            style: Style::Lines,
            labels: short,
            series: vec![
                ("Share on time".into(), values(col("Share on time"))),
                ("NFA rate".into(), values(col("NFA rate"))),
            ],
        });
    }
    out
}

/// A board pack from its snapshot.
pub fn pack(p: &Pack, sha256: &str) -> Doc {
    let m = &p.meeting;
    let mut blocks = vec![
        Block::H1(format!("Oversight board pack: meeting of {}", long(&m.on))),
        Block::P(format!(
            "Frozen {} by {}; the tracker as at {}. Content hash (SHA-256): {sha256}.",
            crate::views::when(&p.frozen_at),
            p.frozen_by,
            long(&p.as_at)
        )),
    ];
    if !m.attendees.is_empty() {
        blocks.push(Block::H2("Attendees".into()));
        blocks.push(Block::List(m.attendees.clone()));
    }
    if !m.minutes.trim().is_empty() {
        blocks.push(Block::H2("Minutes".into()));
        blocks.extend(m.minutes.split("\n\n").map(|x| Block::P(x.to_string())));
    }
    if !m.decisions.trim().is_empty() {
        blocks.push(Block::H2("Decisions".into()));
        blocks.extend(m.decisions.split("\n\n").map(|x| Block::P(x.to_string())));
    }
    blocks.push(Block::H2("Recommendations".into()));
    for i in &p.inspections {
        blocks.push(Block::H3(format!(
            "{} (published {})",
            i.title,
            long(&i.published_on)
        )));
        blocks.push(Block::P(format!("Section 55 response: {}", i.s55)));
        blocks.push(Block::Table {
            header: [
                "No.",
                "Recommendation",
                "Due",
                "Force status",
                "Inspectorate status",
                "Actions done",
            ]
            .map(String::from)
            .to_vec(),
            rows: i
                .recommendations
                .iter()
                .map(|r| {
                    vec![
                        r.number.clone(),
                        r.text.clone(),
                        format!(
                            "{}{}",
                            long(&r.due_on),
                            if r.overdue { " (past due)" } else { "" }
                        ),
                        r.force_status.clone(),
                        r.inspectorate_status.clone(),
                        format!("{} of {}", r.actions_done, r.actions),
                    ]
                })
                .collect(),
        });
    }
    let charts = pack_charts(p);
    for c in charts.iter().filter(|c| c.after == "tracker") {
        blocks.push(Block::H3(c.title.clone()));
        blocks.push(Block::Chart(c.pdf(false)));
        blocks.push(Block::Table {
            header: vec!["Force status".into(), "Recommendations".into()],
            rows: c
                .labels
                .iter()
                .zip(&c.series[0].1)
                .map(|(l, v)| {
                    vec![
                        l.clone(),
                        v.as_ref()
                            .map(|n| format!("{n:.0}"))
                            .unwrap_or_else(|m| m.clone()),
                    ]
                })
                .collect(),
        });
    }
    blocks.push(Block::H2("Overdue actions".into()));
    if p.overdue_actions.is_empty() {
        blocks.push(Block::P("None.".into()));
    } else {
        blocks.push(Block::Table {
            header: ["Report", "No.", "Action", "Owner", "Due"]
                .map(String::from)
                .to_vec(),
            rows: p
                .overdue_actions
                .iter()
                .map(|a| {
                    vec![
                        a.report.clone(),
                        a.number.clone(),
                        a.text.clone(),
                        a.owner.clone(),
                        long(&a.due_on),
                    ]
                })
                .collect(),
        });
    }
    blocks.push(Block::H2("Training coverage".into()));
    if p.training.is_empty() {
        blocks.push(Block::P("No course recorded.".into()));
    } else {
        let bcus: Vec<String> = p.training[0]
            .bcus
            .iter()
            .map(|b| b.bcu.to_uppercase())
            .collect();
        let mut header = vec!["Course".to_string()];
        header.extend(bcus);
        header.push("Force".into());
        blocks.push(Block::Table {
            header,
            rows: p
                .training
                .iter()
                .map(|c| {
                    let mut row = vec![c.name.clone()];
                    row.extend(c.bcus.iter().map(|b| format!("{} of {}", b.done, b.team)));
                    row.push(format!("{} of {}", c.done, c.team));
                    row
                })
                .collect(),
        });
    }
    blocks.push(Block::H2(format!("Figures: {}", p.figures.period)));
    if p.figures.suppressed {
        blocks.push(Block::P("Counts of 1 to 4, and any count that would let one be worked out, are shown as [c]; [low] marks a share or time from too few referrals, [x] one with nothing to compute it from.".into()));
    }
    for t in &p.figures.tables {
        blocks.push(Block::H3(t.title.clone()));
        blocks.push(Block::P(t.about.clone()));
        for c in charts.iter().filter(|c| c.after == t.id) {
            blocks.push(Block::Chart(c.pdf(true)));
        }
        let mut header = vec![String::new()];
        header.extend(t.columns.iter().cloned());
        blocks.push(Block::Table {
            header,
            rows: t
                .rows
                .iter()
                .map(|r| {
                    std::iter::once(r.label.clone())
                        .chain(r.cells.iter().cloned())
                        .collect()
                })
                .collect(),
        });
    }
    Doc {
        title: format!("Oversight board pack: {}", long(&m.on)),
        blocks,
    }
}
