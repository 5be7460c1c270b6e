//! The rules of Safeguard with no I/O: who may do what to which record, the states a referral moves through,
//! the timeliness clocks, risk levels, Home Office outcome codes and the access-log vocabulary.
//! Every other crate asks this one for decisions, so the same rule serves the web pages, the API and the CLI.

pub mod accounts;
pub mod audit;
pub mod child_house;
pub mod clocks;
pub mod disclosure;
pub mod exhibits;
pub mod figures;
pub mod governance;
pub mod identification;
pub mod identifiers;
pub mod ids;
pub mod instrument;
pub mod offence;
pub mod outcome;
pub mod permissions;
pub mod plans;
pub mod quality;
pub mod records;
pub mod referral;
pub mod report_details;
pub mod retention;
pub mod risk;
pub mod role;
pub mod routing;
pub mod safeguarding;
pub mod text;
pub mod time;
pub mod timeliness;

pub use ids::{BcuId, ForceId, ReferralId, UserId};
pub use outcome::{NfaPolicy, OutcomeCode};
pub use permissions::{Action, Decision, Principal, RecordScope, Target, decide};
pub use records::{Bcu, Received, Referral, ReportedPerson, TimelineEntry, User};
pub use referral::{EnforcementKind, Status, TransitionError};
pub use risk::RiskLevel;
pub use role::Role;
pub use timeliness::{Clock, TargetSpan, TimelinessTable};
