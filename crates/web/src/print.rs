//! The printed documents, as PDF: a section 55 response (a letter to the Home Secretary, copied to the
//! inspectorate) and a board pack drawn from its frozen snapshot. Each is built from the same values as its
//! page, so the PDF shows the same words and figures.

use crate::views::long_date as long;
use app::governance::InspectionView;
use app::governance::board::Pack;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pdf::{Block, Doc};

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
