//! The application layer's tests, in one binary: the shape of the workspace, and the rules that every path
//! must call, checked through the real use cases on a real store.

mod accounts;
mod backup;
mod harness;
mod rules;
mod shape;
mod sign_in;
