//! The offence a referral is investigated as: pre-filled from the provider's incident type (kept as
//! received) by a mapping, and confirmed at risk assessment. Sextortion and live-streaming are methods,
//! recorded as flags beside the offence, not offences.

use serde::{Deserialize, Serialize};

macro_rules! offences {
    ($($variant:ident => $id:literal, $label:literal;)*) => {
        /// An offence classification.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum Offence {
            $(#[doc = $label] $variant,)*
        }

        impl Offence {
            /// Every classification.
            pub const ALL: [Offence; 7] = [$(Offence::$variant,)*];

            /// As stored and sent (`indecent_images`).
            pub fn as_str(self) -> &'static str {
                match self { $(Offence::$variant => $id,)* }
            }

            /// The UK label with its legislation.
            pub fn label(self) -> &'static str {
                match self { $(Offence::$variant => $label,)* }
            }
        }

        impl std::str::FromStr for Offence {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($id => Ok(Offence::$variant),)*
                    other => Err(format!("'{other}' is not an offence classification")),
                }
            }
        }
    };
}

offences! {
    IndecentImages => "indecent_images", "Making, possessing or distributing indecent images of children (Protection of Children Act 1978 s1; Criminal Justice Act 1988 s160)";
    SexualCommunication => "sexual_communication", "Sexual communication with a child (Sexual Offences Act 2003 s15A)";
    CausingOrInciting => "causing_or_inciting", "Causing or inciting a child to engage in sexual activity (Sexual Offences Act 2003 ss8, 10)";
    CausingToWatch => "causing_to_watch", "Causing a child to watch a sexual act (Sexual Offences Act 2003 s12)";
    ArrangingOrFacilitating => "arranging_or_facilitating", "Arranging or facilitating a child sex offence (Sexual Offences Act 2003 s14)";
    MeetingAfterGrooming => "meeting_after_grooming", "Meeting a child following sexual grooming (Sexual Offences Act 2003 s15)";
    Other => "other", "Other offence";
}

impl std::fmt::Display for Offence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The offence a CyberTipline incident type suggests, before anyone confirms it.
pub fn suggested_by_incident_type(incident_type: &str) -> Offence {
    match incident_type.trim() {
        "Child Pornography (possession, manufacture, and distribution)" => Offence::IndecentImages,
        "Online Enticement of Children for Sexual Acts" => Offence::SexualCommunication,
        "Unsolicited Obscene Material Sent to a Child" => Offence::CausingToWatch,
        "Child Sex Trafficking" | "Child Sex Tourism" => Offence::ArrangingOrFacilitating,
        _ => Offence::Other,
    }
}

/// The offence as recorded on a referral.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Classification {
    /// The offence.
    pub offence: Offence,
    /// Sextortion was the method (a flag, not an offence).
    pub sextortion: bool,
    /// Live-streaming was the method (a flag, not an offence).
    pub live_streaming: bool,
    /// Whether someone confirmed it (at risk assessment), rather than it being suggested by the incident type.
    pub confirmed: bool,
}

impl Classification {
    /// What the incident type and the platform's annotations suggest, not yet confirmed.
    pub fn suggested(incident_type: &str, annotations: &[String]) -> Self {
        Classification {
            offence: suggested_by_incident_type(incident_type),
            sextortion: annotations.iter().any(|a| a == "sextortion"),
            live_streaming: false,
            confirmed: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_incident_type_suggests_an_offence_and_anything_else_is_other() {
        let cases = [
            (
                "Child Pornography (possession, manufacture, and distribution)",
                Offence::IndecentImages,
            ),
            (
                "Online Enticement of Children for Sexual Acts",
                Offence::SexualCommunication,
            ),
            (
                "Unsolicited Obscene Material Sent to a Child",
                Offence::CausingToWatch,
            ),
            ("Child Sex Trafficking", Offence::ArrangingOrFacilitating),
            ("Child Sex Tourism", Offence::ArrangingOrFacilitating),
            ("Child Sexual Molestation", Offence::Other),
            ("Misleading Domain Name", Offence::Other),
        ];
        for (t, o) in cases {
            assert_eq!(suggested_by_incident_type(t), o, "{t}");
        }
    }

    #[test]
    fn sextortion_is_a_flag_beside_the_offence_not_an_offence() {
        let c = Classification::suggested(
            "Online Enticement of Children for Sexual Acts",
            &["sextortion".to_string()],
        );
        assert_eq!(c.offence, Offence::SexualCommunication);
        assert!(c.sextortion && !c.confirmed);
        assert!(
            Offence::ALL
                .iter()
                .all(|o| !o.as_str().contains("sextortion"))
        );
    }

    #[test]
    fn offences_read_back_from_their_ids() {
        for o in Offence::ALL {
            assert_eq!(o.as_str().parse::<Offence>(), Ok(o));
        }
        assert!("grooming".parse::<Offence>().is_err());
    }
}
