//! IP capture events: an address in canonical form, the source port, and the instant. Many subscribers can
//! share one public address behind carrier-grade NAT, told apart only by port and time, so two events match
//! only with the same address **and** port within a short window; an event without a port matches nothing.

use super::IdentifierError;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// The default window within which two events on one address and port suggest the same person.
pub const DEFAULT_IP_WINDOW: SignedDuration = SignedDuration::from_mins(5);

/// Parses an address (`[` `]` around IPv6 allowed) and unmaps IPv4-mapped IPv6 (`::ffff:192.0.2.1`).
pub fn parse_ip(raw: &str) -> Result<IpAddr, IdentifierError> {
    let t = raw.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(t);
    t.parse::<IpAddr>()
        .map(|a| a.to_canonical())
        .map_err(|_| IdentifierError::Ip(raw.trim().into()))
}

/// The text an address is stored and matched under: IPv4-mapped IPv6 (`::ffff:192.0.2.1`) is written as
/// the IPv4 address it maps, so the two forms of one address are one key.
pub fn canonical_ip_text(ip: IpAddr) -> String {
    ip.to_canonical().to_string()
}

/// One IP capture event, normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IpEvent {
    /// The address, canonical (IPv4-mapped IPv6 unmapped).
    pub address: IpAddr,
    /// The source port, when the report gives one.
    pub port: Option<u16>,
    /// The instant (UTC).
    pub at: Timestamp,
}

impl IpEvent {
    /// An event, with the address put in canonical form.
    pub fn new(address: IpAddr, port: Option<u16>, at: Timestamp) -> IpEvent {
        IpEvent {
            address: address.to_canonical(),
            port,
            at,
        }
    }
}

/// Whether two events share address and port and lie within `window` of each other (inclusive).
pub fn ip_events_match(a: &IpEvent, b: &IpEvent, window: SignedDuration) -> bool {
    let same_port = matches!((a.port, b.port), (Some(x), Some(y)) if x == y);
    a.address.to_canonical() == b.address.to_canonical()
        && same_port
        && a.at.duration_since(b.at).abs() <= window.abs()
}
