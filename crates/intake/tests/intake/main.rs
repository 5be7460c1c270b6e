//! intake's integration tests, one binary with a module per area.

mod cybertip_xml;
mod fixtures;
mod hashsets;
mod json_forms;
mod json_stream;
mod xml_safety;
