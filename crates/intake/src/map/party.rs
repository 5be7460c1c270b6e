//! `personOrUserReported`, `intendedRecipient` and `victim`: one shape, read the same way.

use super::Ctx;
use super::values::{self, number};
use crate::error::IntakeError;
use crate::model::{Address, Contact, DeviceId, EstimatedLocation, Party, Person};
use crate::tree::Node;

/// Read a party whose person element is called `person_element`.
pub(crate) fn party(
    ctx: &mut Ctx,
    node: &Node,
    person_element: &str,
) -> Result<Party, IntakeError> {
    let mut p = Party::default();
    ctx.attrs(node, &[]);
    ctx.each(node, |ctx, c| {
        match c.name.as_str() {
            n if n == person_element => p.person = person(ctx, c)?,
            "espIdentifier" => p.esp_identifiers.extend(ctx.leaf(c)),
            "espService" => p.esp_service = ctx.leaf(c).or(p.esp_service.take()),
            "screenName" => p.screen_names.extend(ctx.leaf(c)),
            "displayName" => p.display_names.extend(ctx.leaf(c)),
            "profileUrl" => p.profile_urls.extend(ctx.leaf(c)),
            "ipCaptureEvent" => p.ip_events.push(values::ip_event(ctx, c)?),
            "deviceId" => p.device_ids.extend(device_id(ctx, c)),
            "priorCTReports" => p.prior_reports.extend(texts(c)),
            "groupIdentifier" => p.group_identifiers.extend(ctx.leaf(c)),
            "estimatedLocation" => p.estimated_locations.push(location(ctx, c)),
            "schoolName" => p.school_name = ctx.leaf(c).or(p.school_name.take()),
            "additionalInfo" => p.additional_info.extend(ctx.leaf(c)),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(p)
}

fn person(ctx: &mut Ctx, node: &Node) -> Result<Person, IntakeError> {
    let mut p = Person::default();
    ctx.attrs(node, &[]);
    ctx.each(node, |ctx, c| {
        match c.name.as_str() {
            "firstName" => p.first_name = ctx.leaf(c),
            "lastName" => p.last_name = ctx.leaf(c),
            "email" => p.emails.extend(contact(ctx, c)?),
            "phone" => p.phones.extend(contact(ctx, c)?),
            "address" => p.addresses.push(address(ctx, c)),
            "age" => p.age = number::<u16>(c, "age in years")?,
            "dateOfBirth" => {
                p.date_of_birth = match c.value() {
                    None => None,
                    Some(t) => Some(t.parse().map_err(|_| {
                        c.loc.err(format!("'{t}' is not a date written YYYY-MM-DD"))
                    })?),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(p)
}

fn contact(ctx: &mut Ctx, node: &Node) -> Result<Option<Contact>, IntakeError> {
    ctx.attrs(node, &["type", "verified", "countryCallingCode"]);
    let verified = match node.attr("verified") {
        None => None,
        Some(v) => values::flag_text(&v).map_err(|m| node.attr_loc("verified").err(m))?,
    };
    Ok(ctx.leaf_text(node).map(|value| Contact {
        value,
        kind: node.attr("type"),
        verified,
        country_calling_code: node.attr("countryCallingCode"),
    }))
}

fn address(ctx: &mut Ctx, node: &Node) -> Address {
    let mut a = Address {
        kind: node.attr("type"),
        ..Address::default()
    };
    ctx.attrs(node, &["type"]);
    let _ = ctx.each(node, |ctx, c| {
        let slot = match c.name.as_str() {
            "address" => &mut a.street,
            "city" => &mut a.city,
            "county" => &mut a.county,
            "state" => &mut a.state,
            "nonUsaState" => &mut a.non_usa_state,
            "zipCode" => &mut a.zip_code,
            "nonUsaZipCode" => &mut a.non_usa_zip_code,
            "country" => &mut a.country,
            _ => return Ok(false),
        };
        *slot = ctx.leaf(c);
        Ok(true)
    });
    a
}

fn location(ctx: &mut Ctx, node: &Node) -> EstimatedLocation {
    let mut l = EstimatedLocation::default();
    let _ = ctx.each(node, |ctx, c| {
        let slot = match c.name.as_str() {
            "city" => &mut l.city,
            "region" => &mut l.region,
            "countryCode" => &mut l.country_code,
            _ => return Ok(false),
        };
        *slot = ctx.leaf(c);
        Ok(true)
    });
    if node.children.is_empty() {
        l.text = node.value();
    }
    l
}

/// `deviceId`: text, or `idType`/`idValue` children; `None` (and no error) when it has no value.
pub(crate) fn device_id(ctx: &mut Ctx, node: &Node) -> Option<DeviceId> {
    let (mut kind, mut value) = (None, None);
    let _ = ctx.each(node, |ctx, c| {
        match c.name.as_str() {
            "idType" => kind = ctx.leaf(c),
            "idValue" => value = ctx.leaf(c),
            _ => return Ok(false),
        }
        Ok(true)
    });
    let value = value.or_else(|| node.children.is_empty().then(|| node.value()).flatten())?;
    Some(DeviceId { kind, value })
}

/// The element's text, or the texts of its children (`priorCTReports` is written both ways).
fn texts(node: &Node) -> Vec<String> {
    if node.children.is_empty() {
        node.value().into_iter().collect()
    } else {
        node.children.iter().filter_map(Node::value).collect()
    }
}
