//! The force, its BCUs and its accounts.

use crate::harness::small;
use domain::Role;
use std::collections::HashSet;

#[tokio::test]
async fn every_demo_login_exists_with_its_role_and_bcu() {
    let demo = small().await;
    let bcus = demo.store.list_bcus(demo.summary.force).await.unwrap();
    assert_eq!(
        demo.summary.users.len(),
        8 + 12 * 10,
        "two administrators, six other force-wide roles (the improvement lead among them), ten per BCU"
    );
    for login in &demo.summary.users {
        let user = demo
            .store
            .user_by_username(&login.username)
            .await
            .unwrap()
            .expect(&login.username);
        assert_eq!(user.role, login.role, "{}", login.username);
        assert_eq!(user.display_name, login.display_name);
        let code = user
            .bcu
            .map(|id| bcus.iter().find(|b| b.id == id).unwrap().code.clone());
        assert_eq!(code, login.bcu, "{}", login.username);
        assert_eq!(
            login.role.is_bcu_scoped(),
            code.is_some(),
            "{}",
            login.username
        );
    }
    for (name, role) in [
        ("admin", Role::Admin),
        ("central", Role::CentralTriage),
        ("oversight", Role::Oversight),
        ("dpo", Role::Dpo),
        ("auditor", Role::Auditor),
        ("forensics", Role::Forensics),
        ("sup.cn", Role::Supervisor),
        ("lead.wa", Role::BcuLead),
        ("inv.se", Role::Investigator),
        ("inv.se.8", Role::Investigator),
    ] {
        let user = demo
            .store
            .user_by_username(name)
            .await
            .unwrap()
            .expect(name);
        assert_eq!(user.role, role, "{name}");
    }
    let (_, hash) = demo
        .store
        .user_for_login("inv.cw.3")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        hash, demo.opts.password_hash,
        "every account shares the caller's password hash"
    );
}

#[tokio::test]
async fn each_of_the_twelve_bcus_has_a_sergeant_eight_officers_and_a_superintendent() {
    let demo = small().await;
    let bcus = demo.store.list_bcus(demo.summary.force).await.unwrap();
    let codes: HashSet<_> = bcus.iter().map(|b| b.code.as_str()).collect();
    assert_eq!(
        codes,
        HashSet::from([
            "cw", "cn", "ce", "cs", "na", "nw", "ne", "ea", "se", "sn", "sw", "wa"
        ])
    );
    for bcu in &bcus {
        let users = demo
            .store
            .list_users(demo.summary.force, Some(bcu.id))
            .await
            .unwrap();
        let of = |role| users.iter().filter(|u| u.role == role).collect::<Vec<_>>();
        let (sergeants, officers, leads) = (
            of(Role::Supervisor),
            of(Role::Investigator),
            of(Role::BcuLead),
        );
        assert_eq!(
            (sergeants.len(), officers.len(), leads.len()),
            (1, 8, 1),
            "{}",
            bcu.name
        );
        assert!(
            sergeants[0].display_name.starts_with("DS "),
            "{}",
            sergeants[0].display_name
        );
        assert!(
            leads[0].display_name.starts_with("Det Supt "),
            "{}",
            leads[0].display_name
        );
        assert!(officers.iter().all(|o| {
            ["DC ", "TDC ", "PC "]
                .iter()
                .any(|r| o.display_name.starts_with(r))
        }));
    }
    let names: HashSet<_> = demo
        .users()
        .await
        .into_iter()
        .map(|u| u.display_name)
        .collect();
    assert_eq!(names.len(), 128, "no two people share a name");
}

#[tokio::test]
async fn boroughs_route_to_the_bcus_of_the_reference_table() {
    let demo = small().await;
    let force = demo.summary.force;
    let at = demo.created_at();
    assert_eq!(demo.store.list_boroughs(force).await.unwrap().len(), 32);
    for (code, name, boroughs) in demo::bcus() {
        let bcu = demo.store.bcu_by_code(force, code).await.unwrap().unwrap();
        assert_eq!(bcu.name, *name);
        for b in *boroughs {
            let (id, _) = demo
                .store
                .bcu_for_borough(force, b, at)
                .await
                .unwrap()
                .expect(b);
            assert_eq!(id, bcu.id, "{b}");
        }
    }
    let (cw, _) = demo
        .store
        .bcu_for_borough(force, "westminster", at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        Some(cw),
        demo.store
            .bcu_by_code(force, "cw")
            .await
            .unwrap()
            .map(|b| b.id)
    );
    let before = "2018-12-31T12:00:00Z".parse().unwrap();
    assert!(
        demo.store
            .bcu_for_borough(force, "Camden", before)
            .await
            .unwrap()
            .is_none(),
        "valid from 2019"
    );
}
