//! The limits every package and report is held to, so that a hostile or broken file is refused before it can
//! exhaust memory or time. They are constants, documented in `docs/import.md`; the package limits come as
//! [`PackageLimits`](crate::json::PackageLimits) so the CLI can allow more than the API.

/// Largest report accepted: the XML of one `<report>` element or the JSON text of one `report` object.
pub const MAX_REPORT_BYTES: usize = 16 * 1024 * 1024;

/// Deepest element nesting inside a report (`report` itself is depth 1; real reports stay under 8).
pub const MAX_DEPTH: usize = 32;

/// Most elements in one report (a report with thousands of files stays well under this).
pub const MAX_ELEMENTS: usize = 100_000;

/// Longest text of one element or attribute, in bytes.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// Most attributes on one element.
pub const MAX_ATTRIBUTES: usize = 32;

/// Largest package accepted through the web API.
pub const MAX_PACKAGE_BYTES_API: u64 = 64 * 1024 * 1024;

/// Most reports in one package accepted through the web API.
pub const MAX_REPORTS_API: u64 = 10_000;

/// Largest package the command line accepts.
pub const MAX_PACKAGE_BYTES_CLI: u64 = 4 * 1024 * 1024 * 1024;

/// Most reports in one package the command line accepts.
pub const MAX_REPORTS_CLI: u64 = 1_000_000;
