//! The rules `domain` holds, checked through the real use cases: if an import or the queue stopped calling
//! the rule, these tests would fail (each has a control case that the rule must let through).

use crate::harness::{Fixture, report, reported_email};
use crate::on_each_backend;
use app::referrals::{QueueRequest, StatusFilter};
use domain::{EnforcementKind, RiskLevel, Role};

fn victim(email: &str) -> String {
    format!("<victim><victimPerson><email>{email}</email></victimPerson></victim>")
}

fn login(address: &str, at: &str, port: u16) -> String {
    format!(
        "<ipCaptureEvent><ipAddress>{address}</ipAddress><eventName>Login</eventName>\
         <dateTime>{at}</dateTime><port>{port}</port></ipCaptureEvent>"
    )
}

async fn a_victims_email_shared_by_two_referrals_does_not_link_them_through_the_import(f: Fixture) {
    let desk = f.actor("central", Role::CentralTriage, None).await;
    let shared = victim("child.victim@example.com");
    let (_, first) = f
        .import(
            &desk,
            "V-1",
            "Camden",
            &report(&reported_email("one@example.com", ""), &shared),
        )
        .await;
    let (_, second) = f
        .import(
            &desk,
            "V-2",
            "Camden",
            &report(&reported_email("two@example.com", ""), &shared),
        )
        .await;
    assert_ne!(
        first, second,
        "a victim's email must never join two suspects"
    );
    // The control: the reported person's email does join.
    let (_, third) = f
        .import(
            &desk,
            "V-3",
            "Camden",
            &report(&reported_email("ONE@example.com ", ""), ""),
        )
        .await;
    assert_eq!(
        third, first,
        "the reported person's email joins the earlier subject"
    );
}

async fn the_same_address_and_port_within_five_minutes_suggests_a_link_and_later_or_another_port_does_not(
    f: Fixture,
) {
    let desk = f.actor("central", Role::CentralTriage, None).await;
    let xml = |email: &str, ip: String| report(&reported_email(email, &ip), "");
    let base = "2026-01-01T10:00:00Z";
    f.import(
        &desk,
        "I-1",
        "Camden",
        &xml("a@example.com", login("203.0.113.9", base, 40000)),
    )
    .await;
    let suggested = |k: &'static str, ip: String| {
        let xml = xml(&format!("{k}@example.com"), ip);
        let (f, desk) = (&f, &desk);
        async move {
            f.import_entry(desk, k, "Camden", &xml)
                .await
                .suggested_links
        }
    };
    let near = suggested(
        "near",
        login("::ffff:203.0.113.9", "2026-01-01T10:04:59Z", 40000),
    )
    .await;
    assert_eq!(
        near.len(),
        1,
        "an IPv4-mapped address within five minutes matches: {near:?}"
    );
    assert!(near[0].contains("same IP"), "{near:?}");
    let late = suggested("late", login("203.0.113.9", "2026-01-01T10:20:00Z", 40000)).await;
    assert!(
        late.is_empty(),
        "twenty minutes later is someone else: {late:?}"
    );
    let port = suggested("port", login("203.0.113.9", "2026-01-01T10:01:00Z", 40001)).await;
    assert!(
        port.is_empty(),
        "another port is another subscriber: {port:?}"
    );
}

async fn a_bcu_account_without_a_bcu_lists_nothing_rather_than_the_whole_force(f: Fixture) {
    let desk = f.actor("central", Role::CentralTriage, None).await;
    f.import(
        &desk,
        "Q-1",
        "Camden",
        &report(&reported_email("q@example.com", ""), ""),
    )
    .await;
    let req = QueueRequest {
        status: StatusFilter::All,
        ..QueueRequest::default()
    };
    let stray = f.actor("inv.nobcu", Role::Investigator, None).await;
    let refused = app::referrals::queue(&f.app, &stray, req.clone()).await;
    assert!(matches!(refused, Err(app::Error::Forbidden)), "{refused:?}");
    // The control: with a BCU, the same account sees its BCU's referral.
    let placed = f.actor("inv.cn", Role::Investigator, Some(f.cn)).await;
    let q = app::referrals::queue(&f.app, &placed, req).await.unwrap();
    assert_eq!(q.page.items.len(), 1);
    assert_eq!(
        app::referrals::scope_name(&f.app, q.scope).await.unwrap(),
        "Central North BCU"
    );
}

async fn a_new_level_after_the_first_enforcement_keeps_the_target_the_clock_was_measured_against(
    f: Fixture,
) {
    let desk = f.actor("central", Role::CentralTriage, None).await;
    let sup = f.actor("sup.cn", Role::Supervisor, Some(f.cn)).await;
    let (id, _) = f
        .import(
            &desk,
            "C-1",
            "Camden",
            &report(&reported_email("c@example.com", ""), ""),
        )
        .await;
    let ops = |v| app::referrals::assess(&f.app, &sup, &id, v, RiskLevel::Medium, "reason");
    let r = ops(1).await.unwrap();
    let medium_due = r.due_at;
    let r = app::referrals::allocate(&f.app, &sup, &id, r.version, "sup.cn")
        .await
        .unwrap();
    let enforcement = app::referrals::Enforcement {
        kind: EnforcementKind::Arrest,
        at: jiff::Timestamp::now(),
        address: None,
        notes: "arrested",
    };
    let r = app::referrals::enforce(&f.app, &sup, &id, r.version, enforcement)
        .await
        .unwrap();
    let r = app::referrals::assess(
        &f.app,
        &sup,
        &id,
        r.version,
        RiskLevel::VeryHigh,
        "new facts",
    )
    .await
    .unwrap();
    assert_eq!(r.risk_level, Some(RiskLevel::VeryHigh));
    assert_eq!(r.due_at, medium_due, "a stopped clock keeps its target");
    assert_eq!(r.target_met(), Some(true));
}

async fn only_the_central_desk_moves_a_routed_referral_and_moving_it_releases_the_officer(
    f: Fixture,
) {
    let desk = f.actor("central", Role::CentralTriage, None).await;
    let sup = f.actor("sup.cn", Role::Supervisor, Some(f.cn)).await;
    let (id, _) = f
        .import(
            &desk,
            "R-1",
            "Camden",
            &report(&reported_email("r@example.com", ""), ""),
        )
        .await;
    let r = app::referrals::assess(&f.app, &sup, &id, 1, RiskLevel::High, "reason")
        .await
        .unwrap();
    let r = app::referrals::allocate(&f.app, &sup, &id, r.version, "sup.cn")
        .await
        .unwrap();
    let refused = app::referrals::route(&f.app, &sup, &id, r.version, "cw").await;
    assert!(
        matches!(
            &refused,
            Err(app::Error::Invalid {
                code: "referral.already_routed",
                ..
            })
        ),
        "{refused:?}"
    );
    let moved = app::referrals::route(&f.app, &desk, &id, r.version, "cw")
        .await
        .unwrap();
    assert_eq!(moved.bcu, Some(f.cw));
    assert_eq!(
        moved.allocated_to, None,
        "the old BCU's officer is released"
    );
    assert_eq!(moved.status, domain::Status::Assessed);
}

async fn an_officer_of_another_bcu_cannot_be_allocated(f: Fixture) {
    let desk = f.actor("central", Role::CentralTriage, None).await;
    let sup = f.actor("sup.cn", Role::Supervisor, Some(f.cn)).await;
    f.user("inv.cw", Role::Investigator, Some(f.cw)).await;
    let (id, _) = f
        .import(
            &desk,
            "A-1",
            "Camden",
            &report(&reported_email("a1@example.com", ""), ""),
        )
        .await;
    let r = app::referrals::assess(&f.app, &sup, &id, 1, RiskLevel::Low, "reason")
        .await
        .unwrap();
    let refused = app::referrals::allocate(&f.app, &sup, &id, r.version, "inv.cw").await;
    assert!(
        matches!(
            &refused,
            Err(app::Error::Invalid {
                code: "referral.unknown_officer",
                ..
            })
        ),
        "{refused:?}"
    );
    let page = app::referrals::dossier(&f.app, &sup, &id).await.unwrap();
    let offered: Vec<&str> = page.officers.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(
        offered,
        vec!["sup.cn"],
        "the page offers only the BCU's own officers"
    );
}

on_each_backend!(
    a_victims_email_shared_by_two_referrals_does_not_link_them_through_the_import,
    the_same_address_and_port_within_five_minutes_suggests_a_link_and_later_or_another_port_does_not,
    a_bcu_account_without_a_bcu_lists_nothing_rather_than_the_whole_force,
    a_new_level_after_the_first_enforcement_keeps_the_target_the_clock_was_measured_against,
    only_the_central_desk_moves_a_routed_referral_and_moving_it_releases_the_officer,
    an_officer_of_another_bcu_cannot_be_allocated,
);
