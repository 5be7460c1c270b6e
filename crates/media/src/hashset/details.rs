//! What a source says about a known image besides its hashes and category (VICS `VictimIdentified`, `Series`,
//! `IsDistributed`), and the labels that pair those details with a category. Every stored hash points at one
//! label, so a set of millions of hashes holds each distinct label once.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::Category;

/// The details a source gives for a known image; each is `None` when the source does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Details {
    /// Whether the victim has been identified (VICS `VictimIdentified`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victim_identified: Option<bool>,
    /// The series the image belongs to (VICS `Series`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Whether the image is known to be distributed (VICS `IsDistributed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_distributed: Option<bool>,
}

impl Details {
    /// Whether the source said nothing.
    pub fn is_empty(&self) -> bool {
        *self == Details::default()
    }

    /// The details of two source entries for the same hash: a "yes" outweighs a "no", a "no" outweighs
    /// silence (an identified victim or a distributed image is what an investigator must not miss), and the
    /// first series named is kept.
    pub fn merge(&self, other: &Details) -> Details {
        let flag = |a: Option<bool>, b: Option<bool>| match (a, b) {
            (Some(x), Some(y)) => Some(x || y),
            (x, y) => x.or(y),
        };
        Details {
            victim_identified: flag(self.victim_identified, other.victim_identified),
            series: self.series.clone().or_else(|| other.series.clone()),
            is_distributed: flag(self.is_distributed, other.is_distributed),
        }
    }
}

/// What a stored hash points at: the category of its known image and the source's details.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Label {
    /// The category.
    #[serde(with = "category_text")]
    pub category: Category,
    /// The details.
    #[serde(flatten)]
    pub details: Details,
}

impl Label {
    /// The label of two entries for the same hash: the more serious category, and the details merged.
    pub fn merge(&self, other: &Label) -> Label {
        Label {
            category: if self.category.severity() >= other.category.severity() {
                self.category
            } else {
                other.category
            },
            details: self.details.merge(&other.details),
        }
    }
}

/// Categories in the set file as their text (`A`, `other(7)`), as version 1 files wrote them.
mod category_text {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::Category;

    pub fn serialize<S: Serializer>(c: &Category, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(c)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Category, D::Error> {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

/// Labels held once each, by id.
#[derive(Debug, Default)]
pub(crate) struct Labels {
    list: Vec<Label>,
    ids: HashMap<Label, u32>,
}

impl Labels {
    /// The id of `label`, adding it if new.
    pub(crate) fn id(&mut self, label: Label) -> u32 {
        if let Some(&id) = self.ids.get(&label) {
            return id;
        }
        let id = self.list.len() as u32;
        self.list.push(label.clone());
        self.ids.insert(label, id);
        id
    }

    /// The id of the merge of two labels.
    pub(crate) fn merged(&mut self, a: u32, b: u32) -> u32 {
        if a == b {
            return a;
        }
        let label = self.list[a as usize].merge(&self.list[b as usize]);
        self.id(label)
    }

    /// The labels, by id.
    pub(crate) fn into_list(self) -> Vec<Label> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_details_keep_a_yes_over_a_no_and_the_first_series() {
        let a = Details {
            victim_identified: Some(false),
            series: None,
            is_distributed: None,
        };
        let b = Details {
            victim_identified: Some(true),
            series: Some("Blue Room".into()),
            is_distributed: Some(false),
        };
        assert_eq!(a.merge(&b), b);
        assert_eq!(Details::default().merge(&a), a);
    }

    #[test]
    fn a_label_is_written_with_its_category_as_text() {
        let label = Label {
            category: Category::Other(7),
            details: Details {
                victim_identified: Some(true),
                ..Details::default()
            },
        };
        let text = serde_json::to_string(&label).unwrap();
        assert_eq!(text, r#"{"category":"other(7)","victim_identified":true}"#);
        assert_eq!(serde_json::from_str::<Label>(&text).unwrap(), label);
    }
}
