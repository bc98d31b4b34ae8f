//! The harness around the store, apart from the production crate: the executable legal
//! scenarios (`scenario`: TOML files played against a real store on a fixed clock, each step
//! judged against what the order says) and the demo caseload (`demo`: akimats' worth of cases
//! in every state, for `qualcert demo`, `serve --demo`, the benches and tests). Both go through
//! the store's public commands only, so nothing here can write what the service could not.

pub mod demo;
pub mod scenario;
