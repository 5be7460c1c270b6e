//! One module per subcommand, each with its clap arguments (`Args`) and an `exec` function.
pub mod audit;
pub mod backup;
pub mod common;
pub mod demo;
pub mod force;
pub mod hash;
pub mod hashset;
pub mod import;
pub mod migrate;
pub mod scan;
pub mod serve;
pub mod user;
