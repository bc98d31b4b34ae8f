//! Kazakhstan's national PKI (NCA RK) in Rust: GOST R 34.10-2015 (512- and 256-bit) and
//! legacy GOST 34.310-2004 signatures, verified and made, in the byte order the NCA uses.

mod curve;
mod field;
pub mod gost;

pub use gost::{GostCurve, GostError, PrivateKey};
