//! The media crate's integration tests, one binary: PDQ against the reference vectors, file hashing, hash sets,
//! the index and the scan of generated folders.

mod pdq_vectors;
mod support;
