//! intake's integration tests, one binary with a module per area.

mod cybertip_xml;
mod fixtures;
mod hashsets;
mod json_forms;
mod json_stream;
mod package_corpus;
mod properties;
mod whole_report;
mod xml_safety;
