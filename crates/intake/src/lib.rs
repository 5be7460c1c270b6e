//! Parsers and validators for what arrives from outside: referral packages (a bare CyberTipline XML report,
//! or Safeguard's JSON package of reports, read whole or as a stream) and hash sets. No I/O of its own:
//! callers hand it bytes or a reader and get validated values, or an error naming where the input is wrong.

pub mod cybertip;
mod encoding;
pub mod error;
pub mod hashsets;
pub mod json;
pub mod limits;
mod map;
pub mod model;
pub mod ncmec_json;
pub mod package;
mod tree;
pub mod write;

pub use cybertip::{
    BareOptions, FileDetailsDocument, XmlDocument, parse_cybertip_document, parse_cybertip_xml,
};
pub use error::{IntakeError, Warning};
pub use json::{PackageLimits, PackageSummary, ReadError, parse_package, read_json_package};
pub use model::{Package, PackageHeader, Report};

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
