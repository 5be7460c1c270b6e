//! Row ↔ domain conversion helpers shared by the store's modules.

use crate::StoreError;
use std::str::FromStr;

/// Parse an id stored as text, reporting corruption rather than panicking.
pub(crate) fn parse_id<T: FromStr>(s: &str) -> Result<T, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("'{s}' is not a valid id")))
}

/// Parse an optional stored value with its `FromStr`.
pub(crate) fn parse_opt<T: FromStr>(s: Option<&str>, what: &str) -> Result<Option<T>, StoreError> {
    s.map(|v| {
        v.parse()
            .map_err(|_| StoreError::Corrupt(format!("bad {what} '{v}'")))
    })
    .transpose()
}
