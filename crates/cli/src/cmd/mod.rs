//! One module per subcommand, each with its clap arguments (`Args`) and an `exec` function.
pub mod hash;
