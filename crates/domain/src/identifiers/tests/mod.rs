//! The identifier rules: examples first, then properties over generated input.

use super::*;

mod examples;
mod linking;
mod properties;
