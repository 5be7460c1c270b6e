//! The two standard fonts used, Helvetica and Helvetica-Bold, in WinAnsiEncoding: the widths of their
//! characters (from Adobe's font metrics, in thousandths of the font size) and the mapping of text to the
//! encoding's bytes.

/// Widths of the characters 32 to 126 of Helvetica.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Widths of the characters 32 to 126 of Helvetica-Bold.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The WinAnsiEncoding byte for `c`, or `?` where the encoding has none.
pub fn byte(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '™' => 0x99,
        '\t' => b' ',
        _ => b'?',
    }
}

/// The width of `text` at `size` points.
pub fn width(text: &str, size: f64, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &REGULAR };
    let units: u32 = text
        .chars()
        .map(|c| {
            let b = byte(c);
            if (32..=126).contains(&b) {
                u32::from(table[usize::from(b - 32)])
            } else {
                556
            }
        })
        .sum();
    f64::from(units) * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typographic_quotes_and_dashes_have_their_winansi_bytes_and_anything_else_a_question_mark() {
        assert_eq!(byte('“'), 0x93);
        assert_eq!(byte('–'), 0x96);
        assert_eq!(byte('é'), 0xe9);
        assert_eq!(byte('£'), 0xa3);
        assert_eq!(byte('中'), b'?');
    }

    #[test]
    fn widths_follow_the_font_metrics() {
        assert!((width("Hello", 10.0, false) - 22.78).abs() < 0.01);
        assert!(width("Hello", 10.0, true) > width("Hello", 10.0, false));
    }
}
