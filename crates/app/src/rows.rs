//! The read models the use cases hand back, as the store shapes them: the edges show them but never query
//! for them. (Named here so that an edge can name their types without depending on the store.)

pub use store::{
    AssessmentRow, CdRequest, FileRow, HashSpread, IpEventRow, LinkRow, ReferralPage, ReviewRow,
    SharedIdentifier, Subject, SubjectReferral,
};
