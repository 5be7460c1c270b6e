//! The permission rule as a table: role × action × whose record.

use super::*;
use Action::*;
use Decision::{Allow, Forbidden, NotFound};

struct World {
    force: ForceId,
    other_force: ForceId,
    my_bcu: BcuId,
    other_bcu: BcuId,
}

fn world() -> World {
    World {
        force: ForceId::new(),
        other_force: ForceId::new(),
        my_bcu: BcuId::new(),
        other_bcu: BcuId::new(),
    }
}

fn user(w: &World, role: Role) -> Principal {
    Principal {
        user: UserId::new(),
        role,
        force: w.force,
        bcu: role.is_bcu_scoped().then_some(w.my_bcu),
    }
}

/// Whose record: mine (own BCU), another BCU's, unrouted (central queue), another force's.
#[derive(Clone, Copy, Debug)]
enum Whose {
    OwnBcu,
    OtherBcu,
    Unrouted,
    OtherForce,
}

fn scope(w: &World, whose: Whose) -> RecordScope {
    match whose {
        Whose::OwnBcu => RecordScope {
            force: w.force,
            bcu: Some(w.my_bcu),
        },
        Whose::OtherBcu => RecordScope {
            force: w.force,
            bcu: Some(w.other_bcu),
        },
        Whose::Unrouted => RecordScope {
            force: w.force,
            bcu: None,
        },
        Whose::OtherForce => RecordScope {
            force: w.other_force,
            bcu: Some(w.my_bcu),
        },
    }
}

fn check(role: Role, action: Action, whose: Whose, expected: Decision) {
    let w = world();
    let got = decide(&user(&w, role), action, Target::Record(scope(&w, whose)));
    assert_eq!(got, expected, "{role:?} {action:?} on {whose:?}");
}

#[test]
fn record_access_follows_the_table_of_role_action_and_whose_record() {
    use Role::*;
    use Whose::*;
    #[rustfmt::skip]
    let table: &[(Role, Action, [Decision; 4])] = &[
        //                                  own BCU   other BCU  unrouted  other force
        (Investigator,  ReadReferral,      [Allow,    NotFound,  NotFound, NotFound]),
        (Investigator,  AssessRisk,        [Allow,    NotFound,  NotFound, NotFound]),
        (Investigator,  Allocate,          [NotFound, NotFound,  NotFound, NotFound]),
        (Investigator,  RecordEnforcement, [Allow,    NotFound,  NotFound, NotFound]),
        (Investigator,  RecordOutcome,     [Allow,    NotFound,  NotFound, NotFound]),
        (Investigator,  ApproveNfa,        [NotFound, NotFound,  NotFound, NotFound]),
        (Supervisor,    Allocate,          [Allow,    NotFound,  NotFound, NotFound]),
        (Supervisor,    ApproveNfa,        [Allow,    NotFound,  NotFound, NotFound]),
        (Supervisor,    SignOffRisk,       [Allow,    NotFound,  NotFound, NotFound]),
        (Supervisor,    ReopenReferral,    [Allow,    NotFound,  NotFound, NotFound]),
        (BcuLead,       ReopenReferral,    [Allow,    NotFound,  NotFound, NotFound]),
        (Investigator,  ReopenReferral,    [NotFound, NotFound,  NotFound, NotFound]),
        (Supervisor,    SuperviseReferral, [Allow,    NotFound,  NotFound, NotFound]),
        (Investigator,  SuperviseReferral, [NotFound, NotFound,  NotFound, NotFound]),
        (Investigator,  WorkPlan,          [Allow,    NotFound,  NotFound, NotFound]),
        (CentralTriage, WorkPlan,          [NotFound, NotFound,  NotFound, NotFound]),
        (CentralTriage, ReopenReferral,    [NotFound, NotFound,  NotFound, NotFound]),
        (Investigator,  SignOffRisk,       [NotFound, NotFound,  NotFound, NotFound]),
        (Investigator,  IdentifySubject,   [Allow,    NotFound,  NotFound, NotFound]),
        (CentralTriage, IdentifySubject,   [Allow,    Allow,     Allow,    NotFound]),
        (CentralTriage, SignOffRisk,       [NotFound, NotFound,  NotFound, NotFound]),
        (Auditor,       IdentifySubject,   [NotFound, NotFound,  NotFound, NotFound]),
        (Investigator,  RecordPeople,      [Allow,    NotFound,  NotFound, NotFound]),
        (Supervisor,    RecordPeople,      [Allow,    NotFound,  NotFound, NotFound]),
        (CentralTriage, RecordPeople,      [Allow,    Allow,     Allow,    NotFound]),
        (Auditor,       RecordPeople,      [NotFound, NotFound,  NotFound, NotFound]),
        (Forensics,     RecordPeople,      [NotFound, NotFound,  NotFound, NotFound]),
        (BcuLead,       ReadReferral,      [Allow,    NotFound,  NotFound, NotFound]),
        (CentralTriage, ReadReferral,      [Allow,    Allow,     Allow,    NotFound]),
        (CentralTriage, Allocate,          [Allow,    Allow,     Allow,    NotFound]),
        (CentralTriage, RecordOutcome,     [NotFound, NotFound,  NotFound, NotFound]),
        (Auditor,       ReadReferral,      [Allow,    Allow,     Allow,    NotFound]),
        (Auditor,       AssessRisk,        [NotFound, NotFound,  NotFound, NotFound]),
        (Forensics,     ReadReferral,      [NotFound, NotFound,  NotFound, NotFound]),
        (Oversight,     ReadReferral,      [NotFound, NotFound,  NotFound, NotFound]),
        (Dpo,           ReadReferral,      [NotFound, NotFound,  NotFound, NotFound]),
        (Admin,         ReadReferral,      [NotFound, NotFound,  NotFound, NotFound]),
        (Forensics,     ReadExhibits,      [Allow,    Allow,     Allow,    NotFound]),
        (Forensics,     ExamineExhibits,   [Allow,    Allow,     Allow,    NotFound]),
        (Forensics,     RecordExhibits,    [NotFound, NotFound,  NotFound, NotFound]),
        (Forensics,     WorkPlan,          [NotFound, NotFound,  NotFound, NotFound]),
        (Investigator,  ReadExhibits,      [Allow,    NotFound,  NotFound, NotFound]),
        (Investigator,  RecordExhibits,    [Allow,    NotFound,  NotFound, NotFound]),
        (Investigator,  ExamineExhibits,   [NotFound, NotFound,  NotFound, NotFound]),
        (Supervisor,    RecordExhibits,    [Allow,    NotFound,  NotFound, NotFound]),
        (CentralTriage, ReadExhibits,      [Allow,    Allow,     Allow,    NotFound]),
        (CentralTriage, RecordExhibits,    [NotFound, NotFound,  NotFound, NotFound]),
        (Auditor,       ReadExhibits,      [Allow,    Allow,     Allow,    NotFound]),
        (Auditor,       QualityReview,     [Allow,    Allow,     Allow,    NotFound]),
        (Supervisor,    QualityReview,     [NotFound, NotFound,  NotFound, NotFound]),
        (Investigator,  CompleteRemedial,  [Allow,    NotFound,  NotFound, NotFound]),
        (Supervisor,    CompleteRemedial,  [Allow,    NotFound,  NotFound, NotFound]),
        (Auditor,       CompleteRemedial,  [NotFound, NotFound,  NotFound, NotFound]),
        (Oversight,     ReadExhibits,      [NotFound, NotFound,  NotFound, NotFound]),
        (Dpo,           QualityReview,     [NotFound, NotFound,  NotFound, NotFound]),
    ];
    for (role, action, row) in table {
        for (whose, expected) in [OwnBcu, OtherBcu, Unrouted, OtherForce]
            .into_iter()
            .zip(row)
        {
            check(*role, *action, whose, *expected);
        }
    }
}

#[test]
fn collections_are_forbidden_to_roles_without_the_function() {
    use Role::*;
    #[rustfmt::skip]
    let table: &[(Role, Action, Decision)] = &[
        (Investigator,  ListReferrals,  Allow),
        (CentralTriage, ListReferrals,  Allow),
        (Auditor,       ListReferrals,  Allow),
        (Oversight,     ListReferrals,  Forbidden),
        (Admin,         ListReferrals,  Forbidden),
        (Dpo,           ListReferrals,  Forbidden),
        (Dpo,           ReadAuditLog,   Allow),
        (Admin,         ReadAuditLog,   Forbidden),
        (Investigator,  ReadAuditLog,   Forbidden),
        (Admin,         ManageUsers,    Allow),
        (Supervisor,    ManageUsers,    Forbidden),
        (Oversight,     ViewAggregates, Allow),
        (Investigator,  ViewAggregates, Forbidden),
        (Forensics,     ReadExhibits,   Allow),
        (Forensics,     ListReferrals,  Forbidden),
        (Auditor,       QualityReview,  Allow),
        (CentralTriage, QualityReview,  Forbidden),
        (ImprovementLead, ReadGovernance, Allow),
        (ImprovementLead, KeepTracker,  Allow),
        (ImprovementLead, KeepBoard,    Forbidden),
        (ImprovementLead, ListReferrals, Forbidden),
        (ImprovementLead, ViewAggregates, Forbidden),
        (Oversight,     ReadGovernance, Allow),
        (Oversight,     KeepBoard,      Allow),
        (Oversight,     KeepTracker,    Forbidden),
        (BcuLead,       ReadGovernance, Allow),
        (CentralTriage, ReadGovernance, Allow),
        (Auditor,       ReadGovernance, Allow),
        (Dpo,           ReadGovernance, Allow),
        (Dpo,           KeepTracker,    Forbidden),
        (Investigator,  ReadGovernance, Forbidden),
        (Supervisor,    ReadGovernance, Forbidden),
        (Forensics,     ReadGovernance, Forbidden),
        (Admin,         ReadGovernance, Forbidden),
        (BcuLead,       KeepTracker,    Forbidden),
        (BcuLead,       KeepBoard,      Forbidden),
    ];
    let w = world();
    for (role, action, expected) in table {
        assert_eq!(
            decide(&user(&w, *role), *action, Target::Collection),
            *expected,
            "{role:?} {action:?}"
        );
    }
}

#[test]
fn a_bcu_role_without_a_bcu_reaches_nothing() {
    let w = world();
    let mut p = user(&w, Role::Investigator);
    p.bcu = None;
    assert_eq!(decide(&p, ListReferrals, Target::Collection), Forbidden);
    assert_eq!(
        decide(&p, ReadReferral, Target::Record(scope(&w, Whose::Unrouted))),
        NotFound
    );
}

#[test]
fn oversight_admin_dpo_and_the_improvement_lead_never_see_personal_data() {
    for role in Role::ALL {
        let expected = !matches!(
            role,
            Role::Oversight | Role::Admin | Role::Dpo | Role::ImprovementLead
        );
        assert_eq!(sees_personal_data(role), expected, "{role:?}");
    }
}

#[test]
fn a_bcu_role_without_a_bcu_gets_no_queue_rather_than_the_whole_force() {
    let w = world();
    for role in [Role::Investigator, Role::Supervisor, Role::BcuLead] {
        let mut p = user(&w, role);
        assert_eq!(
            queue_scope(&p),
            Ok(QueueScope::Bcu(p.force, p.bcu.unwrap()))
        );
        p.bcu = None;
        assert_eq!(queue_scope(&p), Err(Forbidden), "{role:?}");
    }
}

#[test]
fn the_central_desk_and_auditors_list_the_whole_force_and_others_list_nothing() {
    let w = world();
    for role in Role::ALL {
        let p = user(&w, role);
        let expected = match role {
            Role::CentralTriage | Role::Auditor => Ok(QueueScope::Force(p.force)),
            Role::Investigator | Role::Supervisor | Role::BcuLead => {
                Ok(QueueScope::Bcu(p.force, p.bcu.unwrap()))
            }
            _ => Err(Forbidden),
        };
        assert_eq!(queue_scope(&p), expected, "{role:?}");
    }
}

#[test]
fn a_role_that_sees_no_personal_data_is_refused_every_referral_action() {
    let w = world();
    for role in [Role::Oversight, Role::Dpo, Role::Admin] {
        let p = user(&w, role);
        for action in [
            ListReferrals,
            ReadReferral,
            CreateReferral,
            AssessRisk,
            Allocate,
        ] {
            assert_ne!(
                decide(&p, action, Target::Collection),
                Allow,
                "{role:?} {action:?}"
            );
        }
    }
}
