//! `personOrUserReported`, `intendedRecipient` and `victim`: one shape, read the same way.

use super::Ctx;
use super::values::{self, number};
use crate::error::IntakeError;
use crate::model::{
    AccountDisabled, Address, AssociatedAccount, Contact, DeviceId, EstimatedLocation, Party,
    Person,
};
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
        if c.name == person_element {
            p.person = person(ctx, c)?;
            return Ok(true);
        }
        party_child(ctx, c, &mut p)
    })?;
    Ok(p)
}

/// A child of a party element other than its person; `false` for a name it does not know.
fn party_child(ctx: &mut Ctx, c: &Node, p: &mut Party) -> Result<bool, IntakeError> {
    match c.name.as_str() {
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
        "vehicleDescription" => p.vehicle_description = ctx.leaf(c),
        "compromisedAccount" => p.compromised_account = values::flag(c)?,
        "profileBio" => p.profile_bio = ctx.leaf(c),
        "thirdPartyUserReported" => p.third_party_user_reported = values::flag(c)?,
        "accountTemporarilyDisabled" => p.account_temporarily_disabled = Some(disabled(ctx, c)?),
        "accountPermanentlyDisabled" => p.account_permanently_disabled = Some(disabled(ctx, c)?),
        "allEmailsReported" => p.all_emails_reported = values::flag(c)?,
        "associatedAccount" => p.associated_accounts.push(associated(ctx, c)?),
        _ => return Ok(false),
    }
    Ok(true)
}

/// `associatedAccount`: a party whose person fields sit directly inside it.
fn associated(ctx: &mut Ctx, node: &Node) -> Result<AssociatedAccount, IntakeError> {
    ctx.attrs(node, &["accountType", "thirdPartyUser"]);
    let third_party_user = match node.attr("thirdPartyUser") {
        None => None,
        Some(v) => values::flag_text(&v).map_err(|m| node.attr_loc("thirdPartyUser").err(m))?,
    };
    let mut a = AssociatedAccount {
        kind: node.attr("accountType"),
        third_party_user,
        ..AssociatedAccount::default()
    };
    ctx.each(node, |ctx, c| {
        if c.name == "platform" {
            a.platform = ctx.leaf(c);
            return Ok(true);
        }
        if person_child(ctx, c, &mut a.account.person)? {
            return Ok(true);
        }
        party_child(ctx, c, &mut a.account)
    })?;
    Ok(a)
}

/// `accountTemporarilyDisabled` / `accountPermanentlyDisabled`: a yes/no with dates as attributes.
fn disabled(ctx: &mut Ctx, node: &Node) -> Result<AccountDisabled, IntakeError> {
    ctx.attrs(node, &["disabledDate", "userNotified", "userNotifiedDate"]);
    let user_notified = match node.attr("userNotified") {
        None => None,
        Some(v) => values::flag_text(&v).map_err(|m| node.attr_loc("userNotified").err(m))?,
    };
    let _ = ctx.each(node, |_, _| Ok(false));
    Ok(AccountDisabled {
        disabled: values::flag(node)?,
        date: node.attr("disabledDate"),
        user_notified,
        user_notified_date: node.attr("userNotifiedDate"),
    })
}

/// The person element: names, contacts, address, age.
pub(crate) fn person(ctx: &mut Ctx, node: &Node) -> Result<Person, IntakeError> {
    let mut p = Person::default();
    ctx.attrs(node, &[]);
    ctx.each(node, |ctx, c| person_child(ctx, c, &mut p))?;
    Ok(p)
}

/// A child of a person element; `false` for a name it does not know.
fn person_child(ctx: &mut Ctx, c: &Node, p: &mut Person) -> Result<bool, IntakeError> {
    match c.name.as_str() {
        "firstName" => p.first_name = ctx.leaf(c),
        "middleName" => p.middle_name = ctx.leaf(c),
        "lastName" => p.last_name = ctx.leaf(c),
        "email" => p.emails.extend(contact(ctx, c)?),
        "phone" => p.phones.extend(contact(ctx, c)?),
        "address" => p.addresses.push(address(ctx, c)),
        // `approximateAge` is the associated account's (and some writers') name for the same thing.
        "age" | "approximateAge" => p.age = number::<u16>(c, "age in years")?,
        "ageAssertionDiscrepancy" => p.age_discrepancy = values::flag(c)?,
        "dateOfBirth" => {
            p.date_of_birth =
                match c.value() {
                    None => None,
                    Some(t) => Some(t.parse().map_err(|_| {
                        c.loc.err(format!("'{t}' is not a date written YYYY-MM-DD"))
                    })?),
                }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn contact(ctx: &mut Ctx, node: &Node) -> Result<Option<Contact>, IntakeError> {
    ctx.attrs(
        node,
        &[
            "type",
            "verified",
            "countryCallingCode",
            "verificationDate",
            "extension",
        ],
    );
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

pub(crate) fn address(ctx: &mut Ctx, node: &Node) -> Address {
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
            // When the platform estimated it: kept in the original, not shown.
            "timestamp" | "verified" => return Ok(true),
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
    let (mut kind, mut value, mut event, mut time) = (None, None, None, None);
    let _ = ctx.each(node, |ctx, c| {
        match c.name.as_str() {
            "idType" => kind = ctx.leaf(c),
            "idValue" => value = ctx.leaf(c),
            "eventName" => event = ctx.leaf(c),
            "dateTime" => time = ctx.leaf(c),
            _ => return Ok(false),
        }
        Ok(true)
    });
    let value = value.or_else(|| node.children.is_empty().then(|| node.value()).flatten())?;
    Some(DeviceId {
        kind,
        value,
        event,
        time,
    })
}

/// The element's text, or the texts of its children (`priorCTReports` is written both ways).
fn texts(node: &Node) -> Vec<String> {
    if node.children.is_empty() {
        node.value().into_iter().collect()
    } else {
        node.children.iter().filter_map(Node::value).collect()
    }
}
