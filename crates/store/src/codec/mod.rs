//! How event payloads and read-model snapshots are kept on disk: compressed against a fixed
//! dictionary (issue 34: a case took 16 KB, most of it JSON keys, citations and the criteria's
//! questions in three languages repeated in every decision).
//!
//! - A value is always JSON to everything above this module; only the stored text differs.
//!   Text that begins with `z1` is version 1: zstd with [`DICTIONARY_1`], in standard base64
//!   without padding, so the column stays text on both backends and backups keep their
//!   format. Anything else is JSON as written before (JSON never begins with `z`), so old
//!   rows are read as they are and need no migration.
//! - The event hash chain hashes the JSON, not the stored text (`chain::hash` takes the
//!   payload this module decodes). So an old event keeps its hash, and re-encoding a row
//!   never breaks the chain.
//! - A dictionary is never changed once shipped: a stored row names its version, and a new
//!   dictionary is a new version beside the old one. A test pins version 1's SHA-256.
//!
//! Why zstd with a dictionary: most rows are 0.3 to 3 KB, too short for a compressor to
//! learn from; a dictionary of sample rows of every kind gives them the vocabulary up
//! front. Measured on a demo store's rows the dictionary was not trained on: event payloads
//! 10.7× and snapshots 13.9× smaller at about 2 and 6 µs a row, against 2× without one.

use std::cell::RefCell;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;

use crate::StoreError;

/// A zstd dictionary of 110 KB trained (`zstd::dict::from_samples`) on 11,000 event payloads
/// and case and certificate snapshots of a demo store. Against 32 KB of sample rows laid end
/// to end as a raw dictionary it compressed unseen rows 26% (events) and 20% (snapshots)
/// smaller, in half the time; a trained 32 KB one did 3% worse than this.
pub const DICTIONARY_1: &[u8] = include_bytes!("dictionary-1.zdict");

/// The tag of values compressed against [`DICTIONARY_1`].
const V1: &str = "z1";

/// zstd's level: 3 is its default, where compression takes a few microseconds per row.
const LEVEL: i32 = 3;

/// The largest value decoded: far over any row the service writes (a case is a few KB), so a
/// corrupt row cannot make a reader allocate without bound.
const MAX_DECODED: usize = 64 << 20;

fn encoder_dictionary() -> &'static zstd::dict::EncoderDictionary<'static> {
    static D: OnceLock<zstd::dict::EncoderDictionary<'static>> = OnceLock::new();
    D.get_or_init(|| zstd::dict::EncoderDictionary::copy(DICTIONARY_1, LEVEL))
}

fn decoder_dictionary() -> &'static zstd::dict::DecoderDictionary<'static> {
    static D: OnceLock<zstd::dict::DecoderDictionary<'static>> = OnceLock::new();
    D.get_or_init(|| zstd::dict::DecoderDictionary::copy(DICTIONARY_1))
}

thread_local! {
    // A compression context is costly to make and not shared between threads: one per thread.
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

/// The stored text of the JSON `json`.
pub fn encode(json: &str) -> Result<String, StoreError> {
    let packed = COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        let c = match &mut *c {
            Some(c) => c,
            None => c.insert(zstd::bulk::Compressor::with_prepared_dictionary(encoder_dictionary())?),
        };
        c.compress(json.as_bytes())
    });
    let packed = packed.map_err(|e| StoreError::Corrupt(format!("compressing a value: {e}")))?;
    let mut out = String::with_capacity(V1.len() + packed.len().div_ceil(3) * 4);
    out.push_str(V1);
    B64.encode_string(&packed, &mut out);
    Ok(out)
}

/// The stored text of `value`, serialized to JSON.
pub fn encode_value<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    encode(&serde_json::to_string(value)?)
}

/// The JSON of stored text, whichever version wrote it.
pub fn decode(stored: &str) -> Result<String, StoreError> {
    let Some(body) = stored.strip_prefix(V1) else { return Ok(stored.to_owned()) };
    let corrupt = |what: String| StoreError::Corrupt(format!("a stored value could not be read: {what}"));
    let packed = B64.decode(body).map_err(|e| corrupt(e.to_string()))?;
    let size = zstd::zstd_safe::get_frame_content_size(&packed)
        .ok()
        .flatten()
        .ok_or_else(|| corrupt("no content size".into()))?;
    let size = usize::try_from(size).ok().filter(|s| *s <= MAX_DECODED).ok_or_else(|| corrupt("too large".into()))?;
    let bytes = DECOMPRESSOR.with(|d| {
        let mut d = d.borrow_mut();
        let d = match &mut *d {
            Some(d) => d,
            None => d.insert(zstd::bulk::Decompressor::with_prepared_dictionary(decoder_dictionary())?),
        };
        d.decompress(&packed, size)
    });
    let bytes = bytes.map_err(|e| corrupt(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| corrupt(e.to_string()))
}

/// The value of stored text.
pub fn parse<T: serde::de::DeserializeOwned>(stored: &str) -> Result<T, StoreError> {
    if stored.starts_with(V1) { Ok(serde_json::from_str(&decode(stored)?)?) } else { Ok(serde_json::from_str(stored)?) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn dictionary_1_never_changes() {
        // Rows written with it exist; a changed dictionary would make them unreadable.
        assert_eq!(
            hex::encode(Sha256::digest(DICTIONARY_1)),
            "e8abd2a45031500db29f39211e13bac5eeee1148ab4e8440a94374b349e1cd63"
        );
    }

    #[test]
    fn values_come_back_as_written_and_old_json_is_read_as_is() {
        let json = r#"{"at":"2026-02-02T06:30:00Z","kind":{"event":"registered"},"text":"Қазақ тілі"}"#;
        let stored = encode(json).expect("codec");
        assert!(stored.starts_with("z1"));
        assert!(stored.len() < json.len(), "{} >= {}", stored.len(), json.len());
        assert_eq!(decode(&stored).expect("codec"), json);
        assert_eq!(decode(json).expect("codec"), json);
        let v: serde_json::Value = parse(&stored).expect("codec");
        assert_eq!(v["text"], "Қазақ тілі");
    }

    #[test]
    fn a_damaged_value_is_an_error_not_a_panic() {
        let stored = encode(r#"{"a":1}"#).expect("codec");
        for bad in ["z1", "z1!!!!", &stored[..stored.len() - 2], "z1AAAAAAAAAAAAAAAAAAAA"] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
    }
}
