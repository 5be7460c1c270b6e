//! Leaf values: times with their zone, yes/no flags, numbers and IP addresses, each refused with the
//! element's location when it cannot be read, never guessed.

use super::Ctx;
use crate::error::IntakeError;
use crate::model::{IpCaptureEvent, IpEventName, Moment};
use crate::tree::Node;
use jiff::Timestamp;
use jiff::fmt::temporal::{Pieces, PiecesOffset};

/// Parse an ISO 8601 date and time that carries a zone (`Z` or `±hh:mm`), keeping the raw text.
pub(crate) fn moment_of(raw: &str) -> Result<Moment, String> {
    let t = raw.trim();
    let bad = || {
        format!(
            "'{t}' is not a date and time with a time zone \
             (e.g. 2019-03-31T00:30:00-05:00 or 2019-03-31T05:30:00Z)"
        )
    };
    let at: Timestamp = t.parse().map_err(|_| bad())?;
    let offset_seconds = match Pieces::parse(t).map_err(|_| bad())?.offset() {
        Some(PiecesOffset::Zulu) => 0,
        Some(PiecesOffset::Numeric(n)) => n.offset().seconds(),
        _ => return Err(bad()),
    };
    // No place is more than 14 hours ahead of UTC or 12 behind: a wider offset is a sender's error.
    if !domain::time::offset_in_use(offset_seconds) {
        return Err(format!(
            "'{t}' has an offset no place uses (offsets run from -12:00 to +14:00)"
        ));
    }
    Ok(Moment {
        at,
        offset_seconds,
        raw: raw.to_string(),
    })
}

/// The element's time, or `None` when it is blank.
pub(crate) fn moment(node: &Node) -> Result<Option<Moment>, IntakeError> {
    if node.text.trim().is_empty() {
        return Ok(None);
    }
    moment_of(&node.text).map(Some).map_err(|m| node.loc.err(m))
}

/// `true`/`false`/`yes`/`no`/`1`/`0` in any case; blank is `None`.
pub(crate) fn flag(node: &Node) -> Result<Option<bool>, IntakeError> {
    flag_text(node.text.trim()).map_err(|m| node.loc.err(m))
}

/// The same for an attribute value.
pub(crate) fn flag_text(t: &str) -> Result<Option<bool>, String> {
    match t.to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "yes" | "1" => Ok(Some(true)),
        "false" | "no" | "0" => Ok(Some(false)),
        _ => Err(format!(
            "'{t}' is not a yes/no value (true, false, yes, no, 1 or 0)"
        )),
    }
}

/// A whole number in `T`'s range; blank is `None`.
pub(crate) fn number<T: std::str::FromStr>(
    node: &Node,
    what: &str,
) -> Result<Option<T>, IntakeError> {
    match node.value() {
        None => Ok(None),
        Some(t) => t
            .parse()
            .map(Some)
            .map_err(|_| node.loc.err(format!("'{t}' is not a valid {what}"))),
    }
}

/// `ipCaptureEvent`.
pub(crate) fn ip_event(ctx: &mut Ctx, node: &Node) -> Result<IpCaptureEvent, IntakeError> {
    let (mut address, mut event, mut time, mut port, mut proxy) = (None, None, None, None, None);
    ctx.each(node, |_, c| {
        match c.name.as_str() {
            "ipAddress" => {
                let a = c
                    .value()
                    .ok_or_else(|| c.loc.err("the IP address is blank"))?;
                let ip = a.parse::<std::net::IpAddr>().map_err(|_| {
                    c.loc.err(format!("'{a}' is not an IPv4 or IPv6 address"))
                })?;
                address = Some((a, ip));
            }
            "eventName" => {
                event = match c.value() {
                    None => None,
                    Some(t) => Some(IpEventName::parse(&t).ok_or_else(|| {
                        c.loc.err(format!("unknown event name '{t}' (Login, Registration, Purchase, Upload, Other or Unknown)"))
                    })?),
                }
            }
            "dateTime" => time = moment(c)?,
            "possibleProxy" => proxy = flag(c)?,
            "port" => port = number::<u16>(c, "port (0 to 65535)")?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let (address, ip) = address.ok_or_else(|| {
        node.loc
            .child("ipAddress")
            .err("an IP capture event needs its ipAddress")
    })?;
    Ok(IpCaptureEvent {
        address,
        ip,
        port,
        event,
        time,
        possible_proxy: proxy,
    })
}
