//! The web layer through a real listener on port 0: sign-in, need-to-know, the access log, conflicts,
//! CSRF, the flow of a referral, and (where Chromium exists) one end-to-end test in a headless browser.
//! Each story runs on SQLite, and on PostgreSQL too when `TEST_POSTGRES_URL` is set.

mod audit;
mod auth;
mod browser;
mod contract;
mod errors;
mod evidence_pages;
mod exhibits;
mod figures;
mod flow;
mod governance;
mod harness;
mod limits;
mod linking;
mod load;
mod matrix;
mod outcomes;
mod people;
mod plans;
mod quality;
mod queue;
mod referral_page;
mod scope;
mod supervision;
mod triage;
mod whole_report;
mod worklists;
