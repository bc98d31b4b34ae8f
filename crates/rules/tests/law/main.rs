//! The order, requirement by requirement: each test names the R-number or paragraph it
//! covers, and runs the real rules core on the shipped data with a fake clock.

mod complaints;
mod edges;
mod issue;
mod lifecycle;
mod properties;
mod services;
mod speech;
mod support;
mod table;
mod words;
