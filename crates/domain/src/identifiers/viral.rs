//! Viral content: a file that circulates widely (a meme, a widely shared video) turns up in referrals about
//! many unrelated people. Such a hash says little about any one of them and must not link them, so it is
//! flagged once it appears with enough distinct subjects.

/// The default number of distinct subjects at which a file hash is flagged as likely viral. The project's
/// judgement: real co-offending groups sharing one file exist, so the flag is a prompt to look, not a verdict.
pub const DEFAULT_VIRAL_THRESHOLD: usize = 5;

/// Whether a file hash seen with `distinct_subjects` different subjects is likely viral content. A threshold
/// below 2 is treated as 2: one subject alone never makes a file viral.
pub fn is_likely_viral(distinct_subjects: usize, threshold: usize) -> bool {
    distinct_subjects >= threshold.max(2)
}
