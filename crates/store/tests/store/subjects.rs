//! Subjects and links: strong identifiers join a subject on import, weak ones wait for a person's
//! decision, a decision moves the referral and is logged as a combination, and widely shared file hashes
//! are flagged as likely viral.

use crate::harness::{Force, actor, force, referral};
use crate::stories;
use domain::ReferralId;
use store::{IdentifierRow, Inserted, LinkOutcome, Store, StoreError};

fn report_xml(reported: &str, extra: &str) -> String {
    format!(
        "<report><incidentSummary><incidentType>Child Sex Tourism</incidentType>\
         <incidentDateTime>2026-01-01T10:00:00Z</incidentDateTime></incidentSummary>\
         <personOrUserReported>{reported}</personOrUserReported>{extra}</report>"
    )
}

fn ident(role: &'static str, kind: &'static str, value: &str) -> IdentifierRow {
    IdentifierRow {
        role,
        kind,
        strong: role == "reported" && kind == "email",
        raw: value.into(),
        norm: value.to_lowercase(),
    }
}

/// Import one bare report through the import transaction, as `web::import` does.
async fn import(
    store: &Store,
    f: &Force,
    report_id: &str,
    xml: &str,
    idents: &[IdentifierRow],
) -> (ReferralId, LinkOutcome) {
    let opts = intake::BareOptions {
        source: "NCA".into(),
        received_at: "2026-01-10T09:00:00Z".parse().unwrap(),
        report_id: Some(report_id.into()),
        ..Default::default()
    };
    let report = intake::parse_cybertip_xml(xml.as_bytes(), &opts)
        .unwrap()
        .reports
        .remove(0);
    let new = referral(f.id, Some(f.cn), report_id, "2026-01-10T09:00:00Z");
    let mut tx = store.begin_import(f.id, actor(&f.inv_cn)).await.unwrap();
    assert!(
        tx.add_report(new, report, idents.to_vec())
            .await
            .unwrap()
            .is_empty()
    );
    let mut written = tx.flush().await.unwrap();
    tx.commit().await.unwrap();
    let outcome = written.pop().expect("the report is written on flush");
    let Inserted::Created(id) = outcome.inserted else {
        panic!("created")
    };
    (id, outcome.link.unwrap())
}

async fn two_reports_with_the_same_email_are_one_subject_listing_both_and_the_shared_email(
    store: Store,
) {
    let f = force(&store).await;
    let person =
        "<personOrUserReportedPerson><email>Same@Example.com</email></personOrUserReportedPerson>";
    let xml = report_xml(person, "");
    let idents = [ident("reported", "email", "Same@Example.com")];
    let (a, first) = import(&store, &f, "S-1", &xml, &idents).await;
    let (b, second) = import(&store, &f, "S-2", &xml, &idents).await;
    assert!(!first.joined_existing);
    assert!(second.joined_existing);
    assert_eq!(first.subject_id, second.subject_id);
    let s = store
        .subject(f.id, &first.subject_id)
        .await
        .unwrap()
        .unwrap();
    let ids: Vec<_> = s.referrals.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![a, b]);
    assert_eq!(s.referrals[0].bcu_code.as_deref(), Some("cn"));
    assert_eq!(s.identifiers.len(), 1);
    assert_eq!(s.identifiers[0].norm, "same@example.com");
    assert_eq!(s.identifiers[0].referrals, vec![a, b]);
    let links = store.links_for_subject(&first.subject_id).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(
        (links[0].strength.as_str(), links[0].status.as_str()),
        ("strong", "linked")
    );
    let other_force = force(&store).await;
    assert!(
        store
            .subject(other_force.id, &first.subject_id)
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_victims_email_shared_with_a_reported_person_never_links(store: Store) {
    let f = force(&store).await;
    let shared = "shared@example.com";
    let reported =
        format!("<personOrUserReportedPerson><email>{shared}</email></personOrUserReportedPerson>");
    let (_, first) = import(
        &store,
        &f,
        "V-1",
        &report_xml(&reported, ""),
        &[ident("reported", "email", shared)],
    )
    .await;
    let victim = format!("<victim><victimPerson><email>{shared}</email></victimPerson></victim>");
    let other =
        "<personOrUserReportedPerson><email>other@example.com</email></personOrUserReportedPerson>";
    let idents = [
        ident("reported", "email", "other@example.com"),
        ident("victim", "email", shared),
    ];
    let (_, second) = import(&store, &f, "V-2", &report_xml(other, &victim), &idents).await;
    assert_ne!(first.subject_id, second.subject_id);
    assert!(!second.joined_existing);
    assert!(second.suggestions.is_empty());
}

async fn a_confirmed_suggestion_moves_the_referral_and_is_logged_as_a_combination(store: Store) {
    let f = force(&store).await;
    let named = "<displayName>Synthetic Sam</displayName>";
    let (_, first) = import(
        &store,
        &f,
        "D-1",
        &report_xml(named, ""),
        &[ident("reported", "display_name", "Synthetic Sam")],
    )
    .await;
    let (b, second) = import(
        &store,
        &f,
        "D-2",
        &report_xml(named, ""),
        &[ident("reported", "display_name", "Synthetic Sam")],
    )
    .await;
    assert_ne!(
        first.subject_id, second.subject_id,
        "a display name only suggests"
    );
    let links = store.suggestions_for_referral(b).await.unwrap();
    let link = links.iter().find(|l| l.is_pending()).expect("a suggestion");
    assert_eq!(link.subject_id, first.subject_id);
    let who = actor(&f.inv_cn);
    let refused = store.decide_link(f.id, &link.id, true, "  ", &who).await;
    assert!(matches!(refused, Err(StoreError::Config(_))), "{refused:?}");
    let done = store
        .decide_link(f.id, &link.id, true, "same photo and writing style", &who)
        .await
        .unwrap();
    assert_eq!(done.status, "confirmed");
    assert_eq!(done.decided_by.as_deref(), Some("DC cn"));
    assert_eq!(done.reason.as_deref(), Some("same photo and writing style"));
    let moved = store.referral(b).await.unwrap().unwrap();
    assert_eq!(moved.subject_id.as_deref(), Some(first.subject_id.as_str()));
    let s = store
        .subject(f.id, &first.subject_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.referrals.len(), 2);
    let emptied = store
        .subject(f.id, &second.subject_id)
        .await
        .unwrap()
        .unwrap();
    assert!(emptied.referrals.is_empty(), "the old subject stays, empty");
    let timeline = store.timeline(b).await.unwrap();
    assert_eq!(timeline.last().unwrap().kind, "link_confirmed");
    let log = store
        .list_audit(&store::AuditQuery {
            record_id: Some(b.to_string()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(log[0].action, "combination");
    assert!(
        !log[0].detail.contains("Synthetic Sam"),
        "no personal data in the log's detail"
    );
    let again = store
        .decide_link(f.id, &link.id, false, "changed my mind", &who)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    let missing = store
        .decide_link(f.id, "no-such-link", false, "x", &who)
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}

async fn a_rejected_suggestion_stays_rejected_and_leaves_the_referral_where_it_was(store: Store) {
    let f = force(&store).await;
    let named = "<displayName>Synthetic Sam</displayName>";
    let (_, _) = import(
        &store,
        &f,
        "D-1",
        &report_xml(named, ""),
        &[ident("reported", "display_name", "Synthetic Sam")],
    )
    .await;
    let (b, second) = import(
        &store,
        &f,
        "D-2",
        &report_xml(named, ""),
        &[ident("reported", "display_name", "Synthetic Sam")],
    )
    .await;
    let link = store.suggestions_for_referral(b).await.unwrap().remove(0);
    let who = actor(&f.inv_cn);
    let done = store
        .decide_link(f.id, &link.id, false, "different dates of birth", &who)
        .await
        .unwrap();
    assert_eq!(done.status, "rejected");
    let kept = store.referral(b).await.unwrap().unwrap();
    assert_eq!(kept.subject_id.as_deref(), Some(second.subject_id.as_str()));
    assert_eq!(
        store.timeline(b).await.unwrap().last().unwrap().kind,
        "link_rejected"
    );
}

async fn a_file_hash_seen_with_five_different_subjects_is_flagged_likely_viral(store: Store) {
    let f = force(&store).await;
    let md5 = "0123456789abcdef0123456789abcdef";
    let file = format!(
        "<fileDetails><originalFileHash hashType=\"MD5\">{md5}</originalFileHash></fileDetails>"
    );
    let mut last = None;
    for n in 1..=5 {
        let email = format!("person{n}@example.com");
        let person = format!(
            "<personOrUserReportedPerson><email>{email}</email></personOrUserReportedPerson>"
        );
        let (id, _) = import(
            &store,
            &f,
            &format!("H-{n}"),
            &report_xml(&person, &file),
            &[ident("reported", "email", &email)],
        )
        .await;
        let spread = store
            .viral_hashes(id, domain::identifiers::DEFAULT_VIRAL_THRESHOLD)
            .await
            .unwrap();
        assert_eq!(spread.len(), 1);
        assert_eq!(
            (
                spread[0].kind,
                spread[0].hash.as_str(),
                spread[0].distinct_subjects
            ),
            ("md5", md5, n)
        );
        assert_eq!(spread[0].likely_viral, n >= 5, "{n} subjects");
        last = Some(id);
    }
    assert!(
        store
            .viral_hashes(last.unwrap(), 6)
            .await
            .unwrap()
            .iter()
            .all(|h| !h.likely_viral)
    );
}

/// Reports handed to one import across a batch boundary: a report repeating one of the batch just staged
/// (not yet written) and one repeating a report earlier in its own batch are duplicates of those, and an
/// email shared across the boundary joins one subject, as if each report had been written on its own.
async fn repeats_and_shared_emails_across_a_batch_boundary_are_found_before_the_rows_are_written(
    store: Store,
) {
    let f = force(&store).await;
    let batch = store::IMPORT_BATCH;
    let mut tx = store.begin_import(f.id, actor(&f.inv_cn)).await.unwrap();
    let mut outcomes = vec![];
    let mut handed = vec![];
    for k in 0..batch + 6 {
        let id = match k {
            k if k == batch + 2 => format!("R-{}", batch - 1),
            k if k == batch + 3 => format!("R-{}", batch + 1),
            k => format!("R-{k}"),
        };
        let email = if k == batch - 1 || k == batch + 4 {
            "boundary@example.com".to_string()
        } else {
            format!("p{k}@example.com")
        };
        let xml = report_xml(
            &format!(
                "<personOrUserReportedPerson><email>{email}</email></personOrUserReportedPerson>"
            ),
            "",
        );
        let opts = intake::BareOptions {
            source: "NCA".into(),
            received_at: "2026-01-10T09:00:00Z".parse().unwrap(),
            report_id: Some(id.clone()),
            ..Default::default()
        };
        let report = intake::parse_cybertip_xml(xml.as_bytes(), &opts)
            .unwrap()
            .reports
            .remove(0);
        let new = referral(f.id, Some(f.cn), &id, "2026-01-10T09:00:00Z");
        handed.push(new.referral.id);
        let idents = vec![ident("reported", "email", &email)];
        outcomes.extend(tx.add_report(new, report, idents).await.unwrap());
    }
    outcomes.extend(tx.flush().await.unwrap());
    tx.commit().await.unwrap();

    assert_eq!(
        outcomes.len(),
        batch + 6,
        "every report is answered for, in order"
    );
    assert_eq!(
        outcomes[batch + 2].inserted,
        Inserted::Duplicate(handed[batch - 1])
    );
    assert_eq!(
        outcomes[batch + 3].inserted,
        Inserted::Duplicate(handed[batch + 1])
    );
    let subject = |k: usize| outcomes[k].link.as_ref().unwrap().subject_id.clone();
    assert_eq!(subject(batch + 4), subject(batch - 1));
    assert!(outcomes[batch + 4].link.as_ref().unwrap().joined_existing);
    assert_ne!(subject(batch + 5), subject(batch - 1));
    let stored = store
        .subject(f.id, &subject(batch - 1))
        .await
        .unwrap()
        .expect("the subject is stored");
    assert_eq!(stored.referrals.len(), 2);
    assert!(store.verify_audit().await.unwrap().is_intact());
}

stories!(
    repeats_and_shared_emails_across_a_batch_boundary_are_found_before_the_rows_are_written,
    two_reports_with_the_same_email_are_one_subject_listing_both_and_the_shared_email,
    a_victims_email_shared_with_a_reported_person_never_links,
    a_confirmed_suggestion_moves_the_referral_and_is_logged_as_a_combination,
    a_rejected_suggestion_stays_rejected_and_leaves_the_referral_where_it_was,
    a_file_hash_seen_with_five_different_subjects_is_flagged_likely_viral,
);
