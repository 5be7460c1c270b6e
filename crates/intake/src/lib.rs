//! Parsers and validators for what arrives from outside: referral packages (Safeguard's JSON package of
//! CyberTipline reports) and hash sets. No I/O of its own: callers hand it bytes and get validated values or
//! an error naming where the input is wrong.

pub mod hashsets;
pub mod package;
