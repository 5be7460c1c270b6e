//! The `safeguard` binary's integration tests, one binary with a module per area; each test runs the real
//! binary in a temporary directory.

mod audit;
mod evidence;
mod import;
mod load;
mod media;
mod servers;
mod vics_sets;
