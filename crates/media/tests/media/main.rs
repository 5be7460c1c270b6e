//! The media crate's integration tests, one binary: PDQ against the reference vectors, the index, hash sets,
//! the scan.

mod hashset;
mod index;
mod pdq_vectors;
mod scan;
mod support;
