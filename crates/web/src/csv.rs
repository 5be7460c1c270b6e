//! CSV for exports: RFC 4180 quoting, and any cell that a spreadsheet would read as a formula (starting with
//! `=`, `+`, `-` or `@`, or a tab or carriage return) is prefixed with `'`, since screen names and other text
//! come from providers.

/// A CSV document being written, with its header.
pub struct Writer {
    out: String,
}

fn cell(v: &str) -> String {
    let guarded = match v.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{v}"),
        _ => v.to_string(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

impl Writer {
    /// A document with these column names.
    pub fn new(header: &[&str]) -> Self {
        let mut w = Writer { out: String::new() };
        w.line(header.iter().map(|h| cell(h)));
        w
    }

    fn line(&mut self, cells: impl Iterator<Item = String>) {
        self.out.push_str(&cells.collect::<Vec<_>>().join(","));
        self.out.push_str("\r\n");
    }

    /// One row.
    pub fn row(&mut self, cells: &[String]) {
        self.line(cells.iter().map(|c| cell(c)));
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }

    /// The document as a download named `file_name`, never cached.
    pub fn download(self, file_name: &str) -> axum::response::Response {
        use axum::response::IntoResponse;
        let body = self.finish();
        (
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "text/csv; charset=utf-8".to_string(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
                (axum::http::header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_escaped_and_quoting_follows_rfc_4180() {
        let mut w = Writer::new(&["Referral", "Allocated to"]);
        w.row(&["=HYPERLINK(\"x\")".into(), "+1".into()]);
        w.row(&["-2".into(), "@sum".into()]);
        w.row(&["a,b".into(), "say \"hi\"".into()]);
        assert_eq!(
            w.finish(),
            "Referral,Allocated to\r\n\"'=HYPERLINK(\"\"x\"\")\",'+1\r\n'-2,'@sum\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n"
        );
    }
}
