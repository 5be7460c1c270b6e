//! The text of an XML report whatever encoding it arrives in. Reports are UTF-8 almost always, but some
//! systems write ISO-8859-1 (declared in the XML declaration) or UTF-16 with a byte-order mark. Those are
//! converted to UTF-8 here (the package itself is still kept byte for byte as received); anything else is
//! refused with the encoding named.

use crate::error::IntakeError;
use crate::tree::line_col_of;
use std::borrow::Cow;

/// The report's text and the encoding it arrived in.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    /// As UTF-8, without a byte-order mark.
    pub text: Cow<'a, str>,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE`, `ISO-8859-1`, `Windows-1252` or `US-ASCII`.
    pub encoding: &'static str,
}

/// What is accepted, for messages.
const ACCEPTED: &str =
    "UTF-8, UTF-16 with a byte-order mark, ISO-8859-1 (Latin-1), Windows-1252 and US-ASCII";

/// Windows-1252's characters for the bytes 0x80 to 0x9F (`None`: undefined).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

fn at(bytes: &[u8], offset: usize) -> String {
    let (l, c) = line_col_of(bytes, offset);
    format!("line {l}, column {c}")
}

/// The encoding the XML declaration names, if the document starts with one.
fn declared(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// Decode UTF-16 code units from `bytes` (after the byte-order mark).
fn utf16(bytes: &[u8], little: bool, name: &'static str) -> Result<String, IntakeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(IntakeError::new(
            "report",
            format!("the file is {name} (by its byte-order mark) but has an odd number of bytes"),
        ));
    }
    let units = bytes.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(IntakeError::new(
                    format!("byte {}", 2 + i * 2),
                    format!("the text is not valid {name}: a lone surrogate"),
                ));
            }
        }
    }
    Ok(out)
}

fn utf8(bytes: &[u8]) -> Result<Decoded<'_>, IntakeError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        IntakeError::new(
            at(bytes, e.valid_up_to()),
            format!("the XML is not valid UTF-8 (the encoding it declares, or UTF-8 when it declares none; Safeguard reads {ACCEPTED})"),
        )
    })?;
    Ok(Decoded {
        text: Cow::Borrowed(text),
        encoding: "UTF-8",
    })
}

/// The text of an XML document, converted to UTF-8 when it arrived in another accepted encoding.
pub(crate) fn decode_xml(bytes: &[u8]) -> Result<Decoded<'_>, IntakeError> {
    let limit = crate::limits::MAX_REPORT_BYTES;
    if bytes.len() > limit {
        return Err(IntakeError::new(
            "report",
            format!(
                "the report is {} bytes, over the limit of {} MiB",
                bytes.len(),
                limit >> 20
            ),
        ));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok(Decoded {
            text: Cow::Owned(utf16(rest, true, "UTF-16LE")?),
            encoding: "UTF-16LE",
        });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok(Decoded {
            text: Cow::Owned(utf16(rest, false, "UTF-16BE")?),
            encoding: "UTF-16BE",
        });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    let Some(name) = declared(bytes) else {
        return utf8(bytes);
    };
    match name.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" => utf8(bytes),
        "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" => Ok(Decoded {
            text: Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
            encoding: "ISO-8859-1",
        }),
        "windows-1252" | "cp1252" => {
            let mut out = String::with_capacity(bytes.len());
            for (i, &b) in bytes.iter().enumerate() {
                let c = match b {
                    0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)].ok_or_else(|| {
                        IntakeError::new(
                            at(bytes, i),
                            format!("the byte 0x{b:02X} has no character in Windows-1252, which the XML declares"),
                        )
                    })?,
                    _ => char::from(b),
                };
                out.push(c);
            }
            Ok(Decoded {
                text: Cow::Owned(out),
                encoding: "Windows-1252",
            })
        }
        "us-ascii" | "ascii" => match bytes.iter().position(|b| !b.is_ascii()) {
            Some(i) => Err(IntakeError::new(
                at(bytes, i),
                format!(
                    "the byte 0x{:02X} is not US-ASCII, which the XML declares",
                    bytes[i]
                ),
            )),
            None => utf8(bytes).map(|d| Decoded {
                encoding: "US-ASCII",
                ..d
            }),
        },
        "utf-16" | "utf-16le" | "utf-16be" | "utf16" => Err(IntakeError::new(
            "line 1, column 1",
            format!(
                "the XML declares encoding '{name}' but has no UTF-16 byte-order mark (its bytes read as single-byte text)"
            ),
        )),
        _ => Err(IntakeError::new(
            "line 1, column 1",
            format!("the XML declares encoding '{name}': Safeguard reads {ACCEPTED}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_windows1252_and_utf16_become_the_same_utf8_text() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><report>Zo\xEB</report>";
        let d = decode_xml(latin1).unwrap();
        assert_eq!(
            (d.encoding, d.text.ends_with("Zoë</report>")),
            ("ISO-8859-1", true)
        );
        let cp = b"<?xml version='1.0' encoding='windows-1252'?><r>\x93quoted\x94 \x80</r>";
        assert!(decode_xml(cp).unwrap().text.contains("“quoted” €"));
        let text = "<report>Zoë 😀</report>";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode_xml(&le).unwrap().text, text);
        assert_eq!(decode_xml(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn a_wrong_byte_or_an_unknown_encoding_is_refused_with_the_encoding_named() {
        let e = decode_xml(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><r/>").unwrap_err();
        assert!(
            e.message.contains("'Shift_JIS'") && e.message.contains("ISO-8859-1"),
            "{e}"
        );
        let e =
            decode_xml(b"<?xml version=\"1.0\" encoding=\"us-ascii\"?>\n<r>\xE9</r>").unwrap_err();
        assert_eq!(e.location, "line 2, column 4");
        assert!(e.message.contains("US-ASCII"));
        let e = decode_xml(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><r>\x81</r>")
            .unwrap_err();
        assert!(e.message.contains("0x81"));
        let e = decode_xml(b"\xFF\xFE<\x00r").unwrap_err();
        assert!(e.message.contains("UTF-16LE") && e.message.contains("odd number"));
        let e = decode_xml(b"<report>\n\xff</report>").unwrap_err();
        assert_eq!(e.location, "line 2, column 1");
        assert!(e.message.contains("not valid UTF-8"));
    }
}
