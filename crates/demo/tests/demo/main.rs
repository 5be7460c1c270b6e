//! The demo suite: seeds a fresh SQLite store the way `safeguard demo` does and checks what a user of the
//! demo would notice, from the accounts to the shape of the referral history.

mod force;
mod harness;
mod history;
mod referrals;
mod work;
