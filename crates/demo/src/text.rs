//! The words of the demo: referral narratives, escalation notes, risk reasons, enforcement notes and outcome
//! rationales. They read like an officer's plain summary and are deliberately never graphic.

use crate::names::pick;
use domain::RiskLevel;
use rand::Rng;

/// CyberTipline incident types with how often the demo uses each.
pub const INCIDENT_TYPES: &[(&str, u32)] = &[
    (CHILD_PORNOGRAPHY, 70),
    (ENTICEMENT, 17),
    (UNSOLICITED, 8),
    ("Child Sexual Molestation", 2),
    ("Misleading Words or Digital Images on the Internet", 2),
    ("Child Sex Trafficking", 1),
];

const CHILD_PORNOGRAPHY: &str = "Child Pornography (possession, manufacture, and distribution)";
const ENTICEMENT: &str = "Online Enticement of Children for Sexual Acts";
const UNSOLICITED: &str = "Unsolicited Obscene Material Sent to a Child";

/// Escalation texts as platforms write them.
pub const ESCALATIONS: &[&str] = &[
    "Child may be in imminent danger",
    "Reported user appears to have current access to children",
    "User stated an intention to meet a child this week",
    "Possible live-streamed abuse",
];

/// A short narrative of what the platform saw and where the user was placed.
pub fn summary(rng: &mut impl Rng, incident: &str, esp: &str, borough: Option<&str>) -> String {
    let place = match borough {
        Some(b) => format!("in {b}"),
        None => "but the location could not be resolved to a London borough".to_string(),
    };
    let n = rng.random_range(1..40);
    match incident {
        CHILD_PORNOGRAPHY => match rng.random_range(0..4) {
            0 => format!(
                "{esp} reported {n} files uploaded to a cloud account; user located {place} by IP geolocation."
            ),
            1 => format!(
                "{esp} detected {n} known images by hash match in a private chat; subscriber checks place the account {place}."
            ),
            2 => format!(
                "{esp} reported an account sharing {n} files by direct message; login IP addresses resolve to a broadband line {place}."
            ),
            _ => format!(
                "{esp} flagged {n} files in a backup folder; the account's registered mobile number is billed to an address {place}."
            ),
        },
        ENTICEMENT => match rng.random_range(0..3) {
            0 => format!(
                "{esp} reported an adult account messaging a child user and asking to meet; user located {place}."
            ),
            1 => format!(
                "A parent reported an account on {esp} asking their child for images; the account logs in from an address {place}."
            ),
            _ => format!(
                "{esp} reported a user threatening to share a child's images unless paid; account linked to a phone {place}."
            ),
        },
        UNSOLICITED => format!(
            "{esp} reported an adult account sending obscene material to a child user; subscriber details point {place}."
        ),
        _ => format!(
            "{esp} reported concerning messages about a child between two accounts; one account is located {place}."
        ),
    }
}

/// The assessor's reason for a level.
pub fn risk_reason(rng: &mut impl Rng, level: RiskLevel, escalated: bool) -> String {
    let options: &[&str] = match level {
        RiskLevel::VeryHigh => &[
            "Suspect lives with children and the platform escalated the report",
            "Recent contact with a named child and an offer to meet",
            "Live contact offending suspected; child believed at immediate risk",
        ],
        RiskLevel::High => &[
            "Suspect has regular access to children through family",
            "Distribution over several months and a previous intelligence report",
            "Contact with a child user and requests for images",
        ],
        RiskLevel::Medium => &[
            "Possession and sharing of known images; no known access to children",
            "Single upload of known images; suspect identified, no children at the address",
            "Several files; no previous intelligence; access to children not established",
        ],
        RiskLevel::Low => &[
            "Single known image, likely shared as a meme; no access to children",
            "Historic upload; account inactive for over a year",
            "Viral content shared once; no other concerns found in research checks",
        ],
    };
    let reason = pick(rng, options);
    if escalated && level != RiskLevel::VeryHigh {
        format!("{reason}; escalated by the platform")
    } else {
        reason.to_string()
    }
}

/// Notes for a first enforcement action.
pub fn enforcement_notes(rng: &mut impl Rng, kind: domain::EnforcementKind) -> String {
    let devices = rng.random_range(1..14);
    match kind {
        domain::EnforcementKind::Warrant => {
            format!("Search warrant at the home address; {devices} devices seized for examination")
        }
        domain::EnforcementKind::Arrest => {
            format!("Suspect arrested at home; {devices} devices seized")
        }
        domain::EnforcementKind::VoluntaryInterview => {
            format!("Attended by appointment with a solicitor; {devices} devices handed over")
        }
    }
}

/// A rationale for an outcome code.
pub fn rationale(rng: &mut impl Rng, code: u8) -> String {
    let options: &[&str] = match code {
        1 => &[
            "CPS authorised charges of making and distributing indecent images",
            "Charged with attempting to meet a child following grooming",
        ],
        2 | 3 => {
            &["Full admission at interview; first offence; caution administered with CPS advice"]
        }
        8 | 22 => &[
            "Suspect is a child; referred to the youth offending team for an intervention programme",
        ],
        9 => &[
            "CPS advised prosecution not in the public interest given the suspect's age and circumstances",
        ],
        10 => &[
            "Suspect a minor sharing an image of a peer; safeguarding advice given to both families",
        ],
        14 | 15 => &[
            "Examination found no indecent material on seized devices; insufficient evidence to proceed",
        ],
        16 => &[
            "Suspect named but the family of the child declined to support a prosecution; safeguarding in place",
            "Devices examined; insufficient evidence to link the suspect to the uploads",
        ],
        18 => &[
            "Account holder could not be identified; subscriber data pointed to a public Wi-Fi hotspot",
        ],
        20 => &[
            "Suspect lives outside the Met area; investigation transferred to the local force",
            "Referred to children's social care and the local force for further action",
        ],
        21 => &[
            "Single image of low seriousness; suspect given words of advice; further investigation not proportionate",
            "Content shared as a meme by a young person; no further investigation in the public interest; parents informed",
        ],
        _ => &["Outcome recorded after review of the evidence"],
    };
    pick(rng, options).to_string()
}

/// Why a sergeant returned a proposed no-further-action outcome.
pub fn return_reason(rng: &mut impl Rng) -> String {
    pick(
        rng,
        &[
            "Record whether the victim's parent was spoken to before closing",
            "The second device has not been examined yet: wait for the forensic return",
            "Check the other platforms named in the report for the same user before closing",
            "The rationale does not say why the suspect was not interviewed",
        ],
    )
    .to_string()
}

/// What the officer adds when proposing again after a return.
pub fn after_return(rng: &mut impl Rng) -> String {
    pick(
        rng,
        &[
            "Parent spoken to on the phone and agrees with the decision.",
            "Second device examined: nothing further found.",
            "Checked the other platforms: no further accounts found.",
        ],
    )
    .to_string()
}

/// Why a sergeant reopened a closed referral.
pub fn reopen_reason(rng: &mut impl Rng) -> String {
    pick(
        rng,
        &[
            "A new referral names the same account",
            "Forensic return found images not examined before closing",
            "The victim's family now supports a prosecution",
        ],
    )
    .to_string()
}
