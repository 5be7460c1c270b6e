//! Closing a referral: an investigator proposes a Home Office outcome; one in the force's no-further-action
//! set waits for a supervisor, who approves it (the referral closes) or returns it with a reason (it goes back
//! to where it was). Nobody approves their own proposal. A supervisor can reopen a closed referral with a
//! reason; nothing else changes a closed one. Code 21 needs a named suspect and the victim (or a child
//! victim's parent or guardian) told; a code that disagrees with what is known of the suspect is warned about.

use super::{Status, TransitionError, open, required};
use crate::{NfaPolicy, OutcomeCode, UserId};
use serde::{Deserialize, Serialize};

/// Who was told of a code 21 decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InformedWho {
    /// The victim.
    Victim,
    /// A child victim's parent or guardian.
    ParentOrGuardian,
}

impl InformedWho {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            InformedWho::Victim => "the victim",
            InformedWho::ParentOrGuardian => "the child victim's parent or guardian",
        }
    }
}

/// What is known when an outcome is proposed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutcomeFacts {
    /// A suspect is named: the reported person has a name, or a provider named the subscriber.
    pub named_suspect: bool,
    /// Who was told of the decision, for code 21.
    pub informed: Option<InformedWho>,
}

/// What a proposal does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proposal {
    /// Not a no-further-action code: the referral closes now.
    Closes,
    /// A no-further-action code: the referral waits in `outcome_proposed` for a supervisor.
    AwaitsApproval,
}

impl Proposal {
    /// The status after the proposal.
    pub fn status(self) -> Status {
        match self {
            Proposal::Closes => Status::Closed,
            Proposal::AwaitsApproval => Status::OutcomeProposed,
        }
    }
}

/// Codes that mean no suspect was identified.
const NO_SUSPECT: [u8; 2] = [14, 18];
/// Codes that mean a named suspect.
const NAMED_SUSPECT: [u8; 3] = [15, 16, 21];

/// Propose `code` with its rationale. Returns what the proposal does, and warnings to show the officer
/// (a code that disagrees with what is known of the suspect).
pub fn propose(
    status: Status,
    code: OutcomeCode,
    rationale: &str,
    nfa: &NfaPolicy,
    facts: OutcomeFacts,
) -> Result<(Proposal, Vec<String>), TransitionError> {
    open(status)?;
    if status == Status::OutcomeProposed {
        return Err(TransitionError::AwaitingDecision);
    }
    required(rationale, "a rationale for the outcome")?;
    if code.number == 21 {
        if !facts.named_suspect {
            return Err(TransitionError::Code21NeedsSuspect);
        }
        if facts.informed.is_none() {
            return Err(TransitionError::Code21NeedsVictimInformed);
        }
    }
    let mut warnings = vec![];
    if NO_SUSPECT.contains(&code.number) && facts.named_suspect {
        warnings.push(format!(
            "Outcome {code} means no suspect was identified, but this referral names one: check the code."
        ));
    }
    if NAMED_SUSPECT.contains(&code.number) && !facts.named_suspect {
        warnings.push(format!(
            "Outcome {code} means a named suspect, but no suspect is named on this referral: check the code."
        ));
    }
    let step = if nfa.is_nfa(code) {
        Proposal::AwaitsApproval
    } else {
        Proposal::Closes
    };
    Ok((step, warnings))
}

/// Nobody decides on their own proposal or assessment.
pub fn check_approver(proposer: Option<UserId>, approver: UserId) -> Result<(), TransitionError> {
    if proposer == Some(approver) {
        Err(TransitionError::OwnDecision)
    } else {
        Ok(())
    }
}

/// A supervisor's decision on a proposed outcome: approved, the referral closes; returned (with a reason),
/// it goes back to `prior`, the status it had before the proposal.
pub fn decide(
    status: Status,
    prior: Option<Status>,
    proposer: Option<UserId>,
    approver: UserId,
    approve: bool,
    reason: &str,
) -> Result<Status, TransitionError> {
    open(status)?;
    if status != Status::OutcomeProposed {
        return Err(TransitionError::NothingToDecide);
    }
    check_approver(proposer, approver)?;
    if approve {
        return Ok(Status::Closed);
    }
    required(reason, "a reason for returning the outcome")?;
    Ok(back_to(prior))
}

/// Reopening a closed referral (a supervisor, with a reason): back to the status it had before closing.
pub fn reopen(
    status: Status,
    prior: Option<Status>,
    reason: &str,
) -> Result<Status, TransitionError> {
    if status != Status::Closed {
        return Err(TransitionError::NotClosed);
    }
    required(reason, "a reason for reopening")?;
    Ok(back_to(prior))
}

/// The status to return to: never closed or awaiting a decision; `allocated` when it was not recorded.
fn back_to(prior: Option<Status>) -> Status {
    match prior {
        Some(s) if s != Status::Closed && s != Status::OutcomeProposed => s,
        _ => Status::Allocated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> OutcomeCode {
        s.parse().unwrap()
    }

    fn facts(named: bool) -> OutcomeFacts {
        OutcomeFacts {
            named_suspect: named,
            informed: None,
        }
    }

    #[test]
    fn an_nfa_code_waits_for_a_supervisor_and_other_codes_close_at_once() {
        let nfa = NfaPolicy::default();
        let (p, _) = propose(Status::Enforcement, code("16"), "r", &nfa, facts(true)).unwrap();
        assert_eq!(p.status(), Status::OutcomeProposed);
        let (p, _) = propose(Status::Enforcement, code("1"), "r", &nfa, facts(true)).unwrap();
        assert_eq!(p.status(), Status::Closed);
        let (p, _) = propose(Status::Enforcement, code("20"), "r", &nfa, facts(true)).unwrap();
        assert_eq!(p, Proposal::Closes, "20 is a transfer, not NFA");
    }

    #[test]
    fn the_nfa_set_is_the_configured_one() {
        let nfa = NfaPolicy {
            nfa: [20].into_iter().collect(),
        };
        let (p, _) = propose(Status::Allocated, code("20"), "r", &nfa, facts(true)).unwrap();
        assert_eq!(p, Proposal::AwaitsApproval);
        let (p, _) = propose(Status::Allocated, code("16"), "r", &nfa, facts(true)).unwrap();
        assert_eq!(p, Proposal::Closes);
    }

    #[test]
    fn a_proposal_needs_a_rationale_and_cannot_be_made_twice() {
        let nfa = NfaPolicy::default();
        assert_eq!(
            propose(Status::Allocated, code("16"), "  ", &nfa, facts(true)),
            Err(TransitionError::Missing("a rationale for the outcome"))
        );
        assert_eq!(
            propose(Status::OutcomeProposed, code("16"), "r", &nfa, facts(true)),
            Err(TransitionError::AwaitingDecision)
        );
        assert_eq!(
            propose(Status::Closed, code("1"), "r", &nfa, facts(true)),
            Err(TransitionError::Closed)
        );
    }

    #[test]
    fn code_21_needs_a_named_suspect_and_the_victim_or_a_parent_told() {
        let nfa = NfaPolicy::default();
        assert_eq!(
            propose(Status::Enforcement, code("21"), "r", &nfa, facts(false)),
            Err(TransitionError::Code21NeedsSuspect)
        );
        assert_eq!(
            propose(Status::Enforcement, code("21"), "r", &nfa, facts(true)),
            Err(TransitionError::Code21NeedsVictimInformed)
        );
        let told = OutcomeFacts {
            named_suspect: true,
            informed: Some(InformedWho::ParentOrGuardian),
        };
        assert!(propose(Status::Enforcement, code("21"), "r", &nfa, told).is_ok());
    }

    #[test]
    fn a_code_that_disagrees_with_the_suspect_is_warned_about() {
        let nfa = NfaPolicy::default();
        let (_, w) = propose(Status::Enforcement, code("18"), "r", &nfa, facts(true)).unwrap();
        assert!(w[0].contains("no suspect was identified"), "{w:?}");
        let (_, w) = propose(Status::Enforcement, code("15"), "r", &nfa, facts(false)).unwrap();
        assert!(w[0].contains("named suspect"), "{w:?}");
        let (_, w) = propose(Status::Enforcement, code("16"), "r", &nfa, facts(true)).unwrap();
        assert!(w.is_empty());
    }

    #[test]
    fn the_approver_is_never_the_proposer() {
        let me = UserId::new();
        assert_eq!(
            decide(
                Status::OutcomeProposed,
                Some(Status::Enforcement),
                Some(me),
                me,
                true,
                ""
            ),
            Err(TransitionError::OwnDecision)
        );
        let sergeant = UserId::new();
        assert_eq!(
            decide(
                Status::OutcomeProposed,
                Some(Status::Enforcement),
                Some(me),
                sergeant,
                true,
                ""
            ),
            Ok(Status::Closed)
        );
    }

    #[test]
    fn a_returned_outcome_goes_back_to_the_status_it_had_and_needs_a_reason() {
        let (me, sergeant) = (UserId::new(), UserId::new());
        let back = |reason| {
            decide(
                Status::OutcomeProposed,
                Some(Status::Enforcement),
                Some(me),
                sergeant,
                false,
                reason,
            )
        };
        assert_eq!(
            back("Speak to the victim's mother first"),
            Ok(Status::Enforcement)
        );
        assert_eq!(
            back(" "),
            Err(TransitionError::Missing(
                "a reason for returning the outcome"
            ))
        );
        assert_eq!(
            decide(Status::Allocated, None, Some(me), sergeant, true, ""),
            Err(TransitionError::NothingToDecide)
        );
    }

    #[test]
    fn reopening_returns_a_closed_referral_to_its_status_before_closing_with_a_reason() {
        assert_eq!(
            reopen(Status::Closed, Some(Status::Enforcement), "New evidence"),
            Ok(Status::Enforcement)
        );
        assert_eq!(
            reopen(Status::Closed, Some(Status::Enforcement), ""),
            Err(TransitionError::Missing("a reason for reopening"))
        );
        assert_eq!(
            reopen(Status::Allocated, None, "x"),
            Err(TransitionError::NotClosed)
        );
        assert_eq!(
            reopen(Status::Closed, None, "x"),
            Ok(Status::Allocated),
            "an old closure with no recorded status goes back to allocated"
        );
    }
}
