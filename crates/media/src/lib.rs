//! Media triage: file hashing (MD5, SHA-1, SHA-256 in one read), the PDQ perceptual hash, hash sets with their
//! exact and near-match index, and the scan of a folder that puts them together. Pure CPU work on files: no
//! async, no database, no terminal output (progress is reported through a callback).

pub mod decode;
pub mod digest;
pub mod hashset;
pub mod index;
pub mod pdq;
pub mod record;
pub mod scan;
pub mod walk;
