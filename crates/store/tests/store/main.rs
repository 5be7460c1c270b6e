//! The store suite: every story is written once against `Store` and run on SQLite always, and on
//! PostgreSQL when `TEST_POSTGRES_URL` is set (each test in a schema of its own).

mod audit;
mod evidence;
mod figures;
mod governance;
mod harness;
mod queue;
mod referrals;
mod subjects;
mod users;
