//! A streaming reader for VICS JSON: 1.3 hash sets (`value` is an array of media) and 2.0 case exports (`value`
//! is an array of cases, each with a `Media` array). Media are handed over one at a time as the parser meets
//! them. Quirks of real files are tolerated: a byte-order mark, booleans and numbers as strings, dates in any
//! form (they are not read), repeated MD5s (each entry is yielded; merging is the caller's), unknown fields.
//! PDQ, SHA-256 and PhotoDNA are taken from the nested alternative hashes (`HashName` with its `HashValue`),
//! and `VictimIdentified`, `Series` and `IsDistributed` are kept with each entry.

use std::fmt;
use std::io::{BufReader, Read};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::entry::{HashEntry, HashKind, PHOTODNA_LEN, RawCategory};
use super::{HashSetError, skip_bom};

/// The VICS version a file's header names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VicsVersion {
    /// `odata.metadata` naming the 1.3 data model.
    V1_3,
    /// `@odata.context` naming a 2.0 profile.
    V2_0,
    /// No header, or one naming neither.
    Unknown,
}

/// Reads VICS JSON from `reader`, handing each media entry that has a hash to `on_entry`. Returns the version
/// and the number of entries handed over.
pub fn read_vics<R: Read>(
    reader: R,
    mut on_entry: impl FnMut(HashEntry),
) -> Result<(VicsVersion, u64), HashSetError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    skip_bom(&mut reader)?;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut state = State {
        on_entry: &mut on_entry,
        count: 0,
        version: VicsVersion::Unknown,
    };
    let located = |e: serde_json::Error| match e.classify() {
        serde_json::error::Category::Io => HashSetError::Io(e.into()),
        _ => HashSetError::Invalid {
            line: e.line() as u64,
            message: strip_position(&e),
        },
    };
    TopSeed(&mut state).deserialize(&mut de).map_err(located)?;
    de.end().map_err(located)?;
    Ok((state.version, state.count))
}

/// serde_json's message without its own " at line L column C" suffix, with the column kept in front.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    format!("column {}: {message}", e.column())
}

struct State<'a> {
    on_entry: &'a mut dyn FnMut(HashEntry),
    count: u64,
    version: VicsVersion,
}

/// The whole document: the header and the `value` array.
struct TopSeed<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a VICS JSON object with a `value` array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut saw_value = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "odata.metadata" | "@odata.context" => {
                    let header: Option<String> = map.next_value()?;
                    let header = header.unwrap_or_default();
                    self.0.version = if header.contains("/1.3") || header.contains("1.3.xml") {
                        VicsVersion::V1_3
                    } else if header.contains("/2.0") || header.contains("2.0.xml") {
                        VicsVersion::V2_0
                    } else {
                        VicsVersion::Unknown
                    };
                }
                "value" => {
                    saw_value = true;
                    map.next_value_seed(ItemsSeed {
                        state: self.0,
                        what: "value",
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !saw_value {
            return Err(de::Error::custom(
                "no `value` array: not a VICS hash set or case export",
            ));
        }
        Ok(())
    }
}

/// An array of media (or of 2.0 cases holding media).
struct ItemsSeed<'s, 'a> {
    state: &'s mut State<'a>,
    what: &'static str,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an array for `{}`", self.what)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        while seq
            .next_element_seed(ItemSeed {
                state: &mut *self.state,
                what: self.what,
                index,
            })?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }
}

/// One element of an items array: a media entry (1.3, or inside a 2.0 case) or a 2.0 case.
struct ItemSeed<'s, 'a> {
    state: &'s mut State<'a>,
    what: &'static str,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object as element {} of `{}`", self.index, self.what)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut entry = HashEntry::default();
        let at = Place {
            what: self.what,
            index: self.index,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "MD5" | "SHA1" | "SHA256" => {
                    let kind = match key.as_str() {
                        "MD5" => HashKind::Md5,
                        "SHA1" => HashKind::Sha1,
                        _ => HashKind::Sha256,
                    };
                    if let Some(v) = map
                        .next_value::<Option<String>>()?
                        .filter(|v| !v.trim().is_empty())
                        && !entry.set(kind, v.trim())
                    {
                        return Err(at.not_a(&format!("`{key}`"), kind));
                    }
                }
                "Category" => entry.category = map.next_value_seed(CategorySeed)?,
                "VictimIdentified" => entry.victim_identified = at.flag(&key, map.next_value()?)?,
                "IsDistributed" => entry.is_distributed = at.flag(&key, map.next_value()?)?,
                "Series" => entry.series = series(map.next_value()?),
                "Media" => map.next_value_seed(ItemsSeed {
                    state: &mut *self.state,
                    what: "Media",
                })?,
                _ => map.next_value_seed(AltHashScan {
                    entry: &mut entry,
                    at,
                })?,
            }
        }
        if entry.has_hash() {
            self.state.count += 1;
            (self.state.on_entry)(entry);
        }
        Ok(())
    }
}

/// Which media element is being read, for error messages.
#[derive(Clone, Copy)]
struct Place {
    what: &'static str,
    index: usize,
}

impl Place {
    /// The error for a value that is not a hash of `kind`.
    fn not_a<E: de::Error>(self, field: &str, kind: HashKind) -> E {
        E::custom(format!(
            "element {} of `{}`: {field} is not a {} hash ({} hexadecimal characters)",
            self.index,
            self.what,
            kind.name(),
            kind.hex_len()
        ))
    }

    /// A yes/no field: a boolean, `"true"`/`"false"` (any case), 1/0, or null/empty for "not said".
    fn flag<E: de::Error>(self, field: &str, v: serde_json::Value) -> Result<Option<bool>, E> {
        use serde_json::Value;
        match &v {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(*b)),
            Value::Number(n) if n.as_u64() == Some(0) => Ok(Some(false)),
            Value::Number(n) if n.as_u64() == Some(1) => Ok(Some(true)),
            Value::String(t) => match t.trim().to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "true" | "1" | "yes" => Ok(Some(true)),
                "false" | "0" | "no" => Ok(Some(false)),
                _ => Err(self.not_flag(field, &v)),
            },
            _ => Err(self.not_flag(field, &v)),
        }
    }

    fn not_flag<E: de::Error>(self, field: &str, v: &serde_json::Value) -> E {
        let shown: String = v.to_string().chars().take(40).collect();
        E::custom(format!(
            "element {} of `{}`: `{field}` is {shown}, not true or false",
            self.index, self.what
        ))
    }
}

/// A `Series`: its text (a number is taken as text), or nothing when empty or of another shape.
fn series(v: serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A `Category`: a number, a number as a string, or null/absent.
struct CategorySeed;

impl<'de> DeserializeSeed<'de> for CategorySeed {
    type Value = Option<RawCategory>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CategorySeed {
    type Value = Option<RawCategory>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a category number, a string or null")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(RawCategory::Number(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v)
            .map(|n| Some(RawCategory::Number(n)))
            .map_err(|_| E::custom("category out of range"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(RawCategory::parse(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Walks any value, picking up `{"HashName": ..., "HashValue": ...}` objects at any depth (VICS 1.3 keeps
/// them in `AlternativeHashes`): PDQ, SHA-256 and PhotoDNA, with the names spelt in any case, with or without
/// dashes (`SHA256`, `SHA-256`, `SHA2-256`). Other names are passed over.
struct AltHashScan<'e> {
    entry: &'e mut HashEntry,
    at: Place,
}

impl<'de> DeserializeSeed<'de> for AltHashScan<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AltHashScan<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(AltHashScan {
                entry: &mut *self.entry,
                at: self.at,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut name, mut value) = (None::<String>, None::<String>);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "HashName" => {
                    name = map
                        .next_value::<serde_json::Value>()?
                        .as_str()
                        .map(str::to_string)
                }
                "HashValue" => {
                    value = map
                        .next_value::<serde_json::Value>()?
                        .as_str()
                        .map(str::to_string)
                }
                _ => map.next_value_seed(AltHashScan {
                    entry: &mut *self.entry,
                    at: self.at,
                })?,
            }
        }
        let (Some(name), Some(value)) = (name, value) else {
            return Ok(());
        };
        let value = value.trim();
        if value.is_empty() {
            return Ok(());
        }
        let field = format!("the `{}` `HashValue`", name.trim());
        match AltName::of(&name) {
            Some(AltName::Hex(kind)) if !self.entry.set(kind, value) => {
                Err(self.at.not_a(&field, kind))
            }
            Some(AltName::PhotoDna) => self.entry.set_photodna(value).map_err(|decoded| {
                let found = match decoded {
                    Some(n) => format!("it decodes to {n} bytes"),
                    None => "it is not base64".into(),
                };
                de::Error::custom(format!(
                    "element {} of `{}`: {field} is not a PhotoDNA hash ({PHOTODNA_LEN} bytes in base64; {found})",
                    self.at.index, self.at.what
                ))
            }),
            _ => Ok(()),
        }
    }
}

/// The alternative hashes Safeguard reads.
enum AltName {
    /// PDQ or SHA-256, in hex.
    Hex(HashKind),
    /// PhotoDNA, in base64.
    PhotoDna,
}

impl AltName {
    fn of(name: &str) -> Option<AltName> {
        let n = name
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_', ' '], "");
        match n.as_str() {
            "pdq" => Some(AltName::Hex(HashKind::Pdq)),
            "sha256" | "sha2256" => Some(AltName::Hex(HashKind::Sha256)),
            "photodna" | "pdna" => Some(AltName::PhotoDna),
            _ => None,
        }
    }
}
