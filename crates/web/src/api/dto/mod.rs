//! The API's own request and response types, apart from the events and snapshots of `rules`.
//!
//! Events are stored forever and decoded by their serde shape; the API is a contract with
//! other programs. Keeping the two apart means a renamed domain field changes neither what
//! old events decode to nor what an API client sees: only a `From` here changes. Each type
//! derives `ToSchema`, so the OpenAPI document (`openapi`) is generated from the very types
//! the handlers read and write.
//!
//! Text arrives as [`Line`] (one line, at most 300 characters) or [`Text`] (several lines, at
//! most 10,000): the limits of the page forms, checked while the body is read and published in
//! the schema, so a request the schema allows is never refused for its length.
//! [`ApiJson`] reads a body and [`ApiQuery`] a query string; each names the field that failed,
//! in the caller's language.

mod acts;
mod assessment;
mod filing;
mod read;
mod views;

pub use acts::*;
pub use assessment::*;
pub use filing::*;
pub use read::*;
pub use views::*;

#[cfg(test)]
mod tests;
