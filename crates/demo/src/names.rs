//! Small built-in lists the demo draws on: common first names and surnames for officers and reported
//! people, fictional platforms, and the identifiers that can never belong to anyone (example.* mail
//! domains, Ofcom's drama range of mobile numbers). Every person made from them is synthetic.

use rand::Rng;
use rand::seq::IndexedRandom;

/// Common given names across London's communities.
#[rustfmt::skip]
pub const FIRST_NAMES: &[&str] = &[
    "Amira", "James", "Olivia", "Mohammed", "Chloe", "Daniel", "Priya", "Tom", "Grace", "Kwame", "Sophie",
    "Ryan", "Aisha", "Luke", "Hannah", "Adam", "Fatima", "Marcus", "Emily", "Ravi", "Zoe", "Connor", "Leah",
    "Tariq", "Megan", "Sean", "Nadia", "Oliver", "Jade", "Kofi", "Lucy", "Ibrahim", "Rachel", "Jamal",
    "Holly", "Ben", "Yasmin", "Callum", "Kiran", "Ellie", "Samuel", "Bethany", "Arjun", "Laura", "Dominic",
    "Chantelle", "Piotr", "Ana", "Hassan", "Niamh",
];

/// Common surnames across London's communities.
#[rustfmt::skip]
pub const SURNAMES: &[&str] = &[
    "Shah", "Smith", "Jones", "Okafor", "Patel", "Williams", "Brown", "Taylor", "Khan", "Davies", "Evans",
    "Mensah", "Wilson", "Thomas", "Ahmed", "Roberts", "Johnson", "Walker", "Wright", "Hussain", "Begum",
    "Green", "Hall", "Clarke", "Wood", "Ali", "Hughes", "Edwards", "Osei", "Turner", "Hill", "Kowalski",
    "Moore", "Murphy", "Singh", "Baker", "Campbell", "Kaur", "Bennett", "Adeyemi", "Cooper", "Harris", "Nair",
    "Lewis", "Martin", "O'Brien", "Silva", "Ward", "Mitchell", "Chowdhury",
];

/// Fictional platforms (electronic service providers).
#[rustfmt::skip]
pub const ESP_SERVICES: &[&str] = &[
    "PixelShare", "ChatterBox", "CloudLocker", "SnapStream", "FriendLoop", "VidNest", "TalkTown", "GameHaven",
    "PicVault", "BuzzChat",
];

/// Mail domains reserved for documentation: no real mailbox can sit behind them.
const MAIL_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];

/// Words screen names are made of.
#[rustfmt::skip]
const HANDLE_WORDS: &[&str] = &[
    "shadow", "gamer", "lad", "wolf", "sky", "nightowl", "blaze", "pixel", "storm", "ghost", "ace", "viper",
    "dreamer", "rider", "frost", "echo", "rebel", "nova",
];

/// A (first, last) name pair.
pub fn person(rng: &mut impl Rng) -> (&'static str, &'static str) {
    (pick(rng, FIRST_NAMES), pick(rng, SURNAMES))
}

/// An address at a reserved example domain, loosely built from the name when there is one.
pub fn email(rng: &mut impl Rng, name: Option<(&str, &str)>) -> String {
    let local = match name {
        Some((first, last)) if rng.random_bool(0.6) => {
            let last: String = last.chars().filter(char::is_ascii_alphabetic).collect();
            format!(
                "{}.{}{}",
                first.to_lowercase(),
                last.to_lowercase(),
                rng.random_range(1..99)
            )
        }
        _ => format!("{}{}", pick(rng, HANDLE_WORDS), rng.random_range(100..9999)),
    };
    format!("{local}@{}", pick(rng, MAIL_DOMAINS))
}

/// A UK mobile number in Ofcom's drama range (07700 900000 to 900999), in international form.
pub fn mobile(rng: &mut impl Rng) -> String {
    format!("+447700900{:03}", rng.random_range(0..1000))
}

/// A screen name such as `nightowl_92`.
pub fn screen_name(rng: &mut impl Rng) -> String {
    let sep = pick(rng, &["_", "", "."]);
    format!(
        "{}{sep}{}",
        pick(rng, HANDLE_WORDS),
        rng.random_range(1..999)
    )
}

/// One item of a non-empty list.
pub fn pick<T: Copy>(rng: &mut impl Rng, items: &[T]) -> T {
    *items.choose(rng).expect("built-in lists are never empty")
}

/// One item of a non-empty weighted list.
pub fn weighted<T: Copy>(rng: &mut impl Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut at = rng.random_range(0..total);
    for (item, w) in items {
        if at < *w {
            return *item;
        }
        at -= w;
    }
    unreachable!("the draw is below the total weight")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn identifiers_stay_inside_the_reserved_ranges() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..500 {
            let m = mobile(&mut rng);
            assert!(m.starts_with("+447700900") && m.len() == 13, "{m}");
            let e = email(&mut rng, Some(("Amira", "O'Brien")));
            assert!(
                e.ends_with("@example.com")
                    || e.ends_with("@example.org")
                    || e.ends_with("@example.net")
            );
            assert!(!e.contains('\''), "{e}");
        }
    }

    #[test]
    fn weighted_choices_follow_their_weights() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let n = (0..10_000)
            .filter(|_| weighted(&mut rng, &[(true, 1), (false, 3)]))
            .count();
        assert!((2_000..3_000).contains(&n), "{n}");
    }
}
