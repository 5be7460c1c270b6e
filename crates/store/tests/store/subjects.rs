//! Subjects and links: strong identifiers join a subject on import, weak ones wait for a person's
//! decision, a decision moves the referral and is logged as a combination, and widely shared file hashes
//! are flagged as likely viral.

use crate::harness::{Force, actor, force, referral};
use crate::stories;
use domain::ReferralId;
use domain::identifiers::{DisplayName, Email, Identifier, PartyRole};
use store::{
    IdentifierRow, Inserted, LinkOutcome, OriginalFormat, ReportFile, ReportIpEvent,
    ReportOriginal, ReportPerson, ReportRows, Store, StoreError,
};

/// A report's rows as a parser would hand them in: its identifiers and files, the reported person.
fn report(identifiers: Vec<IdentifierRow>, files: Vec<ReportFile>) -> ReportRows {
    let text = "<report/>".to_string();
    ReportRows {
        original: ReportOriginal {
            format: OriginalFormat::Xml,
            sha256: "0".repeat(64),
            text,
        },
        annotations: vec![],
        warnings: vec![],
        people: vec![ReportPerson {
            role: PartyRole::Reported,
            details: "{}".into(),
        }],
        identifiers,
        ip_events: vec![],
        files,
        details: None,
    }
}

fn email(role: PartyRole, raw: &str) -> IdentifierRow {
    IdentifierRow::new(role, &Identifier::Email(Email::parse(raw).unwrap()), raw)
}

fn display_name(raw: &str) -> IdentifierRow {
    let id = Identifier::DisplayName(DisplayName::parse(raw).unwrap());
    IdentifierRow::new(PartyRole::Reported, &id, raw)
}

fn ip_event(address: &str, port: u16, at: &str) -> ReportIpEvent {
    ReportIpEvent {
        address: address.parse().unwrap(),
        address_raw: address.into(),
        port: Some(port),
        event: Some("Login".into()),
        at: Some(at.parse().unwrap()),
        offset_seconds: Some(0),
        time_raw: Some(at.into()),
        possible_proxy: None,
        reported: true,
        origin: "reported_person".into(),
    }
}

fn file_with_md5(md5: &str) -> ReportFile {
    ReportFile {
        file_id: None,
        file_name: None,
        original_file_name: None,
        location: None,
        uploaded_at: None,
        viewed_by_esp: None,
        exif_viewed_by_esp: None,
        publicly_available: None,
        relevance: None,
        annotations: vec![],
        industry_classification: None,
        md5: Some(md5.into()),
        sha1: None,
    }
}

/// Import one report through the import transaction, as `web::import` does.
async fn import(
    store: &Store,
    f: &Force,
    report_id: &str,
    rows: ReportRows,
) -> (ReferralId, LinkOutcome) {
    let new = referral(f.id, Some(f.cn), report_id, "2026-01-10T09:00:00Z");
    let mut tx = store.begin_import(f.id, actor(&f.inv_cn)).await.unwrap();
    assert!(tx.add_report(new, rows).await.unwrap().is_empty());
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
    let rows = || report(vec![email(PartyRole::Reported, "Same@Example.com")], vec![]);
    let (a, first) = import(&store, &f, "S-1", rows()).await;
    let (b, second) = import(&store, &f, "S-2", rows()).await;
    assert!(!first.joined_existing);
    assert!(second.joined_existing);
    assert_eq!(first.subject_id, second.subject_id);
    assert_eq!(second.basis, vec!["email Same@Example.com"]);
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
    let (_, first) = import(
        &store,
        &f,
        "V-1",
        report(vec![email(PartyRole::Reported, shared)], vec![]),
    )
    .await;
    let idents = vec![
        email(PartyRole::Reported, "other@example.com"),
        email(PartyRole::Victim, shared),
    ];
    let (_, second) = import(&store, &f, "V-2", report(idents, vec![])).await;
    assert_ne!(first.subject_id, second.subject_id);
    assert!(!second.joined_existing);
    assert!(second.suggestions.is_empty());
    // The other way round: an address stored only as a recipient's never links a later reported person.
    let (_, third) = import(
        &store,
        &f,
        "V-3",
        report(
            vec![
                email(PartyRole::Reported, "third@example.com"),
                email(PartyRole::Recipient, "recipient@example.com"),
            ],
            vec![],
        ),
    )
    .await;
    let (_, fourth) = import(
        &store,
        &f,
        "V-4",
        report(
            vec![email(PartyRole::Reported, "recipient@example.com")],
            vec![],
        ),
    )
    .await;
    assert_ne!(fourth.subject_id, third.subject_id);
    assert!(!fourth.joined_existing);
    assert!(fourth.suggestions.is_empty());
}

/// The reported person seen on the same address and port within five minutes of an earlier referral's
/// event (written in its IPv4-mapped form) is only suggested, with the address as received; another port
/// suggests nothing.
async fn the_same_address_and_port_within_five_minutes_only_suggests(store: Store) {
    let f = force(&store).await;
    let rows = |email_raw: &str, event: ReportIpEvent| {
        let mut r = report(vec![email(PartyRole::Reported, email_raw)], vec![]);
        r.ip_events.push(event);
        r
    };
    let (_, first) = import(
        &store,
        &f,
        "I-1",
        rows(
            "one@example.com",
            ip_event("192.0.2.7", 40001, "2026-01-01T10:00:00Z"),
        ),
    )
    .await;
    let (_, second) = import(
        &store,
        &f,
        "I-2",
        rows(
            "two@example.com",
            ip_event("::ffff:192.0.2.7", 40001, "2026-01-01T10:04:59Z"),
        ),
    )
    .await;
    assert!(!second.joined_existing);
    assert_eq!(
        second.suggestions,
        vec![(
            first.subject_id.clone(),
            "same IP ::ffff:192.0.2.7:40001 within 5 minutes".to_string()
        )]
    );
    let (_, third) = import(
        &store,
        &f,
        "I-3",
        rows(
            "three@example.com",
            ip_event("192.0.2.7", 40002, "2026-01-01T10:00:00Z"),
        ),
    )
    .await;
    assert!(third.suggestions.is_empty(), "another port");
}

async fn a_confirmed_suggestion_moves_the_referral_and_is_logged_as_a_combination(store: Store) {
    let f = force(&store).await;
    let named = || report(vec![display_name("Synthetic Sam")], vec![]);
    let (_, first) = import(&store, &f, "D-1", named()).await;
    let (b, second) = import(&store, &f, "D-2", named()).await;
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
    let named = || report(vec![display_name("Synthetic Sam")], vec![]);
    let (_, _) = import(&store, &f, "D-1", named()).await;
    let (b, second) = import(&store, &f, "D-2", named()).await;
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
    let mut last = None;
    for n in 1..=5 {
        let person = format!("person{n}@example.com");
        let rows = report(
            vec![email(PartyRole::Reported, &person)],
            vec![file_with_md5(md5)],
        );
        let (id, _) = import(&store, &f, &format!("H-{n}"), rows).await;
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
        let address = if k == batch - 1 || k == batch + 4 {
            "boundary@example.com".to_string()
        } else {
            format!("p{k}@example.com")
        };
        let new = referral(f.id, Some(f.cn), &id, "2026-01-10T09:00:00Z");
        handed.push(new.referral.id);
        let rows = report(vec![email(PartyRole::Reported, &address)], vec![]);
        outcomes.extend(tx.add_report(new, rows).await.unwrap());
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
    the_same_address_and_port_within_five_minutes_only_suggests,
    a_confirmed_suggestion_moves_the_referral_and_is_logged_as_a_combination,
    a_rejected_suggestion_stays_rejected_and_leaves_the_referral_where_it_was,
    a_file_hash_seen_with_five_different_subjects_is_flagged_likely_viral,
);
