//! Triage and subject identification: completing the risk instrument
//! (pre-filled from what the referral already says), a supervisor's sign-off or override, communications
//! data requests built from stored IP events, and the address checks that must precede enforcement.

use crate::access::{open_referral, open_referral_to_change, read_referral};
use crate::{Actor, App, Error};
use domain::audit::Processing;
use domain::instrument::{
    AnswerValue, Answers, Evaluation, PrefillFacts, override_level, sign_off,
};
use domain::{Action, Referral, RiskLevel, referral as rules};
use store::{InstrumentAssessment, ReferralChange};

fn invalid(code: &'static str, e: impl std::fmt::Display) -> Error {
    Error::invalid(code, crate::referrals::capitalise(&e.to_string()))
}

/// What the referral already says, for pre-filling the instrument. A fact the referral is silent on stays
/// `None`, so the assessor answers it.
pub async fn prefill_facts(app: &App, r: &Referral) -> Result<PrefillFacts, Error> {
    let people = app.store().people(r.id).await?;
    let parties: Vec<(String, intake::model::Party)> = people
        .into_iter()
        .filter_map(|(role, d)| serde_json::from_str(&d).ok().map(|p| (role, p)))
        .collect();
    // The age the report gives, or else the age on the incident's date from a date of birth.
    let on = r
        .incident_at
        .unwrap_or(r.received_at)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let age_of = |p: &intake::model::Party| {
        p.person.age.or_else(|| {
            let born = p.person.date_of_birth?;
            let years = on.year()
                - born.year()
                - i16::from((on.month(), on.day()) < (born.month(), born.day()));
            u16::try_from(years).ok()
        })
    };
    let victim_under_13 = parties
        .iter()
        .filter(|(role, _)| role == "victim")
        .find_map(|(_, p)| age_of(p))
        .map(|a| a < 13);
    let prior: u32 = parties
        .iter()
        .filter(|(role, _)| role == "reported")
        .map(|(_, p)| p.prior_reports.len() as u32)
        .sum();
    let files = app.store().files(r.id).await?;
    let self_production = files
        .iter()
        .any(|f| f.annotations.contains("possibleSelfProduction"));
    Ok(PrefillFacts {
        escalated: Some(r.escalated),
        victim_under_13,
        possible_self_production: self_production.then_some(true),
        prior_reports: (prior > 0).then_some(prior),
        // The annotation says yes; its absence is not a no.
        sextortion: r
            .annotations
            .iter()
            .any(|a| a == "sextortion")
            .then_some(true),
        prior_referrals: match r.subject_id {
            // Linked referrals make the count a known fact, zero included.
            Some(_) => Some(app.store().earlier_referrals_of_subject(r).await? as u32),
            None => None,
        },
    })
}

/// The instrument's pre-filled answers for a referral.
pub async fn prefilled(app: &App, r: &Referral) -> Result<Answers, Error> {
    Ok(app
        .config()
        .instrument
        .prefill(&prefill_facts(app, r).await?))
}

/// The level the instrument would give the referral `r` (already read by the caller) with `given` over its
/// pre-filled answers; none while incomplete or refused (the step itself says why).
pub async fn instrument_level(
    app: &App,
    r: &Referral,
    given: &[(String, AnswerValue)],
) -> Result<Option<RiskLevel>, Error> {
    let instrument = &app.config().instrument;
    let mut answers = prefilled(app, r).await?;
    for (q, v) in given {
        if instrument.answer(&mut answers, q, v.clone()).is_err() {
            return Ok(None);
        }
    }
    Ok(instrument.evaluate(&answers).ok().and_then(|e| e.level()))
}

/// Complete the instrument: the pre-filled answers, overridden by `given`. Incomplete answers are refused
/// with the questions still to answer; a complete set records the level and keeps the assessment.
pub async fn assess_with_instrument(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    given: &[(String, AnswerValue)],
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::AssessRisk,
        Processing::Alteration,
        "complete risk instrument",
    )
    .await?;
    let instrument = &app.config().instrument;
    let mut answers = prefilled(app, &r).await?;
    for (q, v) in given {
        instrument
            .answer(&mut answers, q, v.clone())
            .map_err(|e| Error::Invalid {
                code: "assessment.invalid",
                message: e.to_string(),
                location: Some(format!("answers.{q}")),
            })?;
    }
    let evaluation = instrument
        .evaluate(&answers)
        .map_err(|e| invalid("assessment.invalid", e))?;
    let (level, reasons) = match &evaluation {
        Evaluation::Complete { level, reasons, .. } => (*level, reasons.join(" ")),
        Evaluation::Incomplete { missing } => {
            // The questions in their own words, never their ids.
            let asked: Vec<String> = missing
                .iter()
                .filter_map(|q| instrument.questions().find(|x| &x.id == q))
                .map(|q| format!("“{}”", q.text))
                .collect();
            return Err(Error::Invalid {
                code: "assessment.incomplete",
                message: format!(
                    "Answer every question before a level is given. Still to answer: {}.",
                    asked.join(" ")
                ),
                location: missing.first().map(|q| format!("answers.{}", q.as_str())),
            });
        }
    };
    let status = rules::assess(r.status, level, &reasons)
        .map_err(|e| invalid("referral.invalid_step", e))?;
    let change = ReferralChange::Assess {
        level,
        reason: format!("{} {}: {reasons}", instrument.id(), instrument.version()),
        due_at: app.config().timeliness.enforcement_due(&r, level),
        clock_version: app.config().timeliness.version.clone(),
        status,
        instrument: Some(InstrumentAssessment {
            id: uuid::Uuid::now_v7().to_string(),
            instrument_id: instrument.id().to_string(),
            instrument_version: instrument.version().to_string(),
            answers: serde_json::to_string(&answers).expect("answers serialise"),
            evaluation: serde_json::to_string(&evaluation).expect("an evaluation serialises"),
        }),
    };
    Ok(app
        .store()
        .update_referral(r.id, version, &change, &actor.author())
        .await?)
}

/// A supervisor signs off the latest assessment awaiting a decision, or overrides its level with a reason.
pub async fn decide(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    override_to: Option<RiskLevel>,
    reason: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::SignOffRisk,
        Processing::Alteration,
        "sign off risk level",
    )
    .await?;
    let pending = app
        .store()
        .assessments(r.id)
        .await?
        .into_iter()
        .find(|a| a.decision.is_none())
        .ok_or_else(|| {
            Error::invalid(
                "assessment.none_pending",
                "There is no completed instrument awaiting a supervisor's decision.",
            )
        })?;
    // The assessor never signs off their own assessment.
    let assessor = pending.assessed_by.as_deref().and_then(|u| u.parse().ok());
    rules::check_approver(assessor, actor.user.id).map_err(|_| {
        Error::invalid(
            "referral.own_decision",
            "You completed this assessment: another supervisor must sign it off or override it.",
        )
    })?;
    let evaluation: Evaluation = serde_json::from_str(&pending.evaluation)
        .map_err(|e| Error::Internal(format!("stored evaluation: {e}")))?;
    let now = jiff::Timestamp::now();
    let decided = match override_to {
        None => sign_off(&evaluation, actor.user.id, now),
        Some(level) => override_level(&evaluation, level, reason, actor.user.id, now),
    }
    .map_err(|e| invalid("assessment.invalid", e))?;
    let (final_level, decision, why) = match &decided.final_level {
        domain::instrument::FinalLevel::Instrument { level } => (*level, "signed_off", None),
        domain::instrument::FinalLevel::Override { level, reason, .. } => {
            (*level, "overridden", Some(reason.clone()))
        }
    };
    // After an override the referral's reason says what the instrument gave, what was chosen and why.
    let risk_reason = why.as_ref().map(|w| {
        let gave = evaluation
            .level()
            .map_or_else(|| "no level".to_string(), |l| l.to_string());
        format!(
            "{final_level}: overridden by {} (the instrument gave {gave}). {w}",
            actor.user.display_name
        )
    });
    let change = ReferralChange::Decide {
        assessment_id: pending.id,
        decision,
        final_level,
        risk_reason,
        reason: why,
        due_at: app.config().timeliness.enforcement_due(&r, final_level),
        clock_version: app.config().timeliness.version.clone(),
    };
    Ok(app
        .store()
        .update_referral(r.id, version, &change, &actor.author())
        .await?)
}

/// Raise a communications data request from one of the referral's stored IP events.
pub async fn request_cd(
    app: &App,
    actor: &Actor,
    id: &str,
    ip_event_id: &str,
    provider: &str,
) -> Result<store::CdRequest, Error> {
    let r = open_referral_to_change(
        app,
        actor,
        id,
        Action::IdentifySubject,
        Processing::Disclosure,
        "communications data request",
    )
    .await?;
    if provider.trim().is_empty() {
        return Err(Error::invalid(
            "cd_request.invalid",
            "Name the communications service provider asked.",
        ));
    }
    app.store()
        .create_cd_request(
            r.force,
            r.id,
            ip_event_id.trim(),
            provider.trim(),
            &actor.author(),
        )
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound => Error::invalid(
                "cd_request.invalid",
                "Choose one of this referral's IP events.",
            ),
            store::StoreError::Config(m) => invalid("cd_request.invalid", m),
            other => other.into(),
        })
}

/// Record a provider's answer to a request.
pub async fn answer_cd(
    app: &App,
    actor: &Actor,
    id: &str,
    request_id: &str,
    subscriber: &str,
    address: &str,
) -> Result<store::CdRequest, Error> {
    let r = open_referral_to_change(
        app,
        actor,
        id,
        Action::IdentifySubject,
        Processing::Collection,
        "communications data answer",
    )
    .await?;
    if subscriber.trim().is_empty() || address.trim().is_empty() {
        return Err(Error::invalid(
            "cd_request.invalid",
            "Give the subscriber and the address exactly as the provider answered.",
        ));
    }
    app.store()
        .answer_cd_request(
            r.force,
            r.id,
            request_id.trim(),
            subscriber.trim(),
            address.trim(),
            &actor.author(),
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict => Error::invalid(
                "cd_request.answered",
                "That request is already answered, or is not this referral's.",
            ),
            other => other.into(),
        })
}

/// Record a check other than a second IP event that corroborates an address.
pub async fn corroborate(
    app: &App,
    actor: &Actor,
    id: &str,
    address: &str,
    method: &str,
    detail: &str,
) -> Result<(), Error> {
    let r = open_referral_to_change(
        app,
        actor,
        id,
        Action::IdentifySubject,
        Processing::Collection,
        "record address check",
    )
    .await?;
    if address.trim().is_empty() || method.trim().is_empty() || detail.trim().is_empty() {
        return Err(Error::invalid(
            "corroboration.invalid",
            "Give the address, how it was checked, and what was found.",
        ));
    }
    Ok(app
        .store()
        .record_corroboration(
            r.force,
            r.id,
            address.trim(),
            method.trim(),
            detail.trim(),
            &actor.author(),
        )
        .await?)
}

/// The instrument's pre-filled answers for a referral and its completed assessments, newest first (a
/// logged consultation).
pub async fn instrument(
    app: &App,
    actor: &Actor,
    id: &str,
) -> Result<(Answers, Vec<store::AssessmentRow>), Error> {
    let r = read_referral(app, actor, id, "read risk instrument").await?;
    Ok((
        prefilled(app, &r).await?,
        app.store().assessments(r.id).await?,
    ))
}

/// The referral's communications data requests (a logged consultation).
pub async fn cd_requests(
    app: &App,
    actor: &Actor,
    id: &str,
) -> Result<Vec<store::CdRequest>, Error> {
    let r = read_referral(app, actor, id, "read communications data requests").await?;
    Ok(app.store().cd_requests(r.id).await?)
}

/// How far an address is corroborated for this referral (a logged consultation).
pub async fn corroboration(
    app: &App,
    actor: &Actor,
    id: &str,
    address: &str,
) -> Result<domain::identification::Corroboration, Error> {
    let r = read_referral(app, actor, id, "read address corroboration").await?;
    Ok(app.store().corroboration_of(r.id, address).await?)
}
