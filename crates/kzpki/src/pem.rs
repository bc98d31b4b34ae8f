//! PEM and base64 input: NCALayer hands signatures out as base64, Kalkan as DER, people paste
//! PEM. Everything is decoded to DER here.

use base64::Engine;

use crate::Error;

/// DER from DER, PEM with the given label (or any label), or bare base64.
pub fn decode_one(input: &[u8], label: &str) -> Result<Vec<u8>, Error> {
    let mut all = decode_all(input, label)?;
    if all.is_empty() {
        return Err(Error::Malformed("empty input".into()));
    }
    Ok(all.swap_remove(0))
}

/// Every DER object in the input: one for DER or base64, each block for PEM.
pub fn decode_all(input: &[u8], label: &str) -> Result<Vec<Vec<u8>>, Error> {
    let trimmed = input.trim_ascii();
    if trimmed.first() == Some(&0x30) {
        return Ok(vec![input.to_vec()]);
    }
    let Ok(text) = std::str::from_utf8(trimmed) else {
        return Err(Error::Malformed("neither DER, PEM nor base64".into()));
    };
    if text.contains("-----BEGIN ") {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("-----BEGIN ") {
            let after = &rest[start + 11..];
            let Some(end_label) = after.find("-----") else { break };
            let found = &after[..end_label];
            let body_start = end_label + 5;
            let end_marker = format!("-----END {found}-----");
            let Some(end) = after.find(&end_marker) else {
                return Err(Error::Malformed(format!("PEM block {found} has no end")));
            };
            let body = &after[body_start..end];
            let wanted =
                found == label || label.is_empty() || (label == "CMS" && (found == "PKCS7" || found == "SIGNED DATA"));
            if wanted {
                out.push(base64_decode(body)?);
            }
            rest = &after[end + end_marker.len()..];
        }
        if out.is_empty() {
            return Err(Error::Malformed(format!("no PEM block labelled {label}")));
        }
        return Ok(out);
    }
    Ok(vec![base64_decode(text)?])
}

fn base64_decode(text: &str) -> Result<Vec<u8>, Error> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean.as_bytes())
        .map_err(|_| Error::Malformed("neither DER, PEM nor base64".into()))
}

/// PEM text of `der` under `label`, 64 columns.
pub fn encode(der: &[u8], label: &str) -> String {
    let b = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
