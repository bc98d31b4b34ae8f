//! A small DER reader and writer that keeps every element's original bytes.
//!
//! Signatures are over bytes as they were sent (a certificate's TBS, a signer's attributes),
//! never over a re-encoding, so the reader hands out slices of the input. It accepts BER's
//! indefinite lengths and constructed OCTET STRINGs, which some CMS producers send, and
//! refuses everything else that is malformed with a [`DerError`], never a panic.

use jiff::Timestamp;

/// Why bytes are not the structure expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed ASN.1: {0}")]
pub struct DerError(pub String);

pub(crate) type Result<T> = std::result::Result<T, DerError>;

fn err<T>(what: impl Into<String>) -> Result<T> {
    Err(DerError(what.into()))
}

/// Tags used here (class and constructed bit included).
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const ENUMERATED: u8 = 0x0A;
    pub(crate) const UTF8: u8 = 0x0C;
    pub(crate) const PRINTABLE: u8 = 0x13;
    pub(crate) const IA5: u8 = 0x16;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;
    /// `[n]` context-specific, constructed.
    pub(crate) const fn ctx(n: u8) -> u8 {
        0xA0 | n
    }
    /// `[n]` context-specific, primitive.
    pub(crate) const fn ctx_prim(n: u8) -> u8 {
        0x80 | n
    }
}

/// One element: its tag, its whole encoding and its content.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    /// Tag, length and content, as in the input.
    pub(crate) raw: &'a [u8],
    /// The content (for an indefinite length, without the end-of-contents octets).
    pub(crate) value: &'a [u8],
}

/// Reads elements one after another from a slice.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
}

/// Nesting deeper than this is refused: no real certificate or CMS comes close, and a bound
/// keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// Splits one element off the front of `data`: (element, rest).
fn split(data: &[u8], depth: usize) -> Result<(Tlv<'_>, &[u8])> {
    if depth > MAX_DEPTH {
        return err("nested too deeply");
    }
    let Some(&tag) = data.first() else { return err("unexpected end of data") };
    if tag & 0x1F == 0x1F {
        return err(format!("high tag numbers are not used here (tag {tag:#04x})"));
    }
    let Some(&first) = data.get(1) else { return err("truncated length") };
    let (header, len) = if first < 0x80 {
        (2, Some(usize::from(first)))
    } else if first == 0x80 {
        if tag & 0x20 == 0 {
            return err("indefinite length on a primitive element");
        }
        (2, None)
    } else {
        let n = usize::from(first & 0x7F);
        if n > 4 {
            return err("length too large");
        }
        let Some(bytes) = data.get(2..2 + n) else { return err("truncated length") };
        let len = bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (2 + n, Some(len))
    };
    match len {
        Some(len) => {
            let end = header.checked_add(len).ok_or_else(|| DerError("length overflows".into()))?;
            if end > data.len() {
                return err(format!("element of {len} bytes runs past the end of the data"));
            }
            Ok((Tlv { tag, raw: &data[..end], value: &data[header..end] }, &data[end..]))
        }
        None => {
            // Children until the end-of-contents octets 00 00.
            let mut rest = &data[header..];
            loop {
                if rest.len() >= 2 && rest[0] == 0 && rest[1] == 0 {
                    let content_len = data.len() - header - rest.len();
                    let end = header + content_len + 2;
                    return Ok((
                        Tlv { tag, raw: &data[..end], value: &data[header..header + content_len] },
                        &data[end..],
                    ));
                }
                let (_, after) = split(rest, depth + 1)?;
                rest = after;
            }
        }
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// The next element, whatever its tag.
    pub(crate) fn any(&mut self) -> Result<Tlv<'a>> {
        let (tlv, rest) = split(self.data, 0)?;
        self.data = rest;
        Ok(tlv)
    }

    /// The next element, which must have tag `t`.
    pub(crate) fn expect(&mut self, t: u8, what: &str) -> Result<Tlv<'a>> {
        match self.peek_tag() {
            Some(found) if found == t => self.any(),
            Some(found) => err(format!("{what}: expected tag {t:#04x}, found {found:#04x}")),
            None => err(format!("{what}: missing")),
        }
    }

    /// The next element if it has tag `t`.
    pub(crate) fn optional(&mut self, t: u8) -> Result<Option<Tlv<'a>>> {
        if self.peek_tag() == Some(t) { self.any().map(Some) } else { Ok(None) }
    }

    /// Nothing may follow.
    pub(crate) fn finish(&self, what: &str) -> Result<()> {
        if self.data.is_empty() { Ok(()) } else { err(format!("{what}: unexpected data after the end")) }
    }
}

impl<'a> Tlv<'a> {
    /// A reader over the children of a constructed element.
    pub(crate) fn children(&self) -> Reader<'a> {
        Reader::new(self.value)
    }

    /// The dotted form of an OBJECT IDENTIFIER.
    pub(crate) fn oid(&self) -> Result<String> {
        if self.tag != tag::OID {
            return err("expected an object identifier");
        }
        oid_to_string(self.value)
    }

    /// An OCTET STRING's bytes; a constructed (BER) one is joined from its pieces.
    pub(crate) fn octets(&self) -> Result<Vec<u8>> {
        match self.tag {
            tag::OCTET_STRING => Ok(self.value.to_vec()),
            0x24 => {
                let mut out = Vec::new();
                let mut r = self.children();
                while !r.is_empty() {
                    out.extend(r.any()?.octets()?);
                }
                Ok(out)
            }
            t => err(format!("expected an octet string, found tag {t:#04x}")),
        }
    }

    /// A BIT STRING's bytes (its unused-bits count must be 0 for keys and signatures).
    pub(crate) fn bits(&self) -> Result<&'a [u8]> {
        if self.tag != tag::BIT_STRING {
            return err("expected a bit string");
        }
        match self.value.split_first() {
            Some((0, rest)) => Ok(rest),
            Some(_) => err("a bit string with unused bits where whole bytes are expected"),
            None => err("an empty bit string"),
        }
    }

    /// A BIT STRING as flags, bit 0 first (key usage): (bits, count).
    pub(crate) fn flags(&self) -> Result<u32> {
        if self.tag != tag::BIT_STRING {
            return err("expected a bit string");
        }
        let Some((_, bytes)) = self.value.split_first() else { return err("an empty bit string") };
        let mut out = 0u32;
        for (i, b) in bytes.iter().take(4).enumerate() {
            for bit in 0..8 {
                if b & (0x80 >> bit) != 0 {
                    out |= 1 << (i * 8 + bit);
                }
            }
        }
        Ok(out)
    }

    /// An INTEGER's magnitude, big-endian, without sign-padding zeros (serial numbers).
    pub(crate) fn integer_bytes(&self) -> Result<&'a [u8]> {
        if self.tag != tag::INTEGER || self.value.is_empty() {
            return err("expected an integer");
        }
        let mut v = self.value;
        while v.len() > 1 && v[0] == 0 {
            v = &v[1..];
        }
        Ok(v)
    }

    /// A small non-negative INTEGER.
    pub(crate) fn small_uint(&self) -> Result<u64> {
        let b = self.integer_bytes()?;
        if b.len() > 8 || self.value[0] & 0x80 != 0 {
            return err("integer out of range");
        }
        Ok(b.iter().fold(0u64, |acc, x| (acc << 8) | u64::from(*x)))
    }

    pub(crate) fn boolean(&self) -> Result<bool> {
        if self.tag != tag::BOOLEAN || self.value.len() != 1 {
            return err("expected a boolean");
        }
        Ok(self.value[0] != 0)
    }

    /// UTCTime or GeneralizedTime (Z only, as RFC 5280 requires).
    pub(crate) fn time(&self) -> Result<Timestamp> {
        let s = std::str::from_utf8(self.value).map_err(|_| DerError("time is not text".into()))?;
        let Some(s) = s.strip_suffix('Z') else { return err(format!("time without Z: {s}")) };
        let full = match self.tag {
            tag::UTC_TIME => {
                if s.len() != 12 && s.len() != 10 {
                    return err(format!("bad UTCTime {s}"));
                }
                let yy: u32 = s[..2].parse().map_err(|_| DerError(format!("bad UTCTime {s}")))?;
                // RFC 5280 §4.1.2.5.1: 50–99 are 19xx, 00–49 are 20xx.
                let century = if yy >= 50 { "19" } else { "20" };
                let s = if s.len() == 10 { format!("{s}00") } else { s.to_owned() };
                format!("{century}{s}")
            }
            tag::GENERALIZED_TIME => s.to_owned(),
            t => return err(format!("expected a time, found tag {t:#04x}")),
        };
        let (main, frac) = full.split_once('.').unwrap_or((&full, ""));
        if main.len() != 14 || !main.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return err(format!("bad time {full}"));
        }
        let text = format!(
            "{}-{}-{}T{}:{}:{}{}{}Z",
            &main[..4],
            &main[4..6],
            &main[6..8],
            &main[8..10],
            &main[10..12],
            &main[12..14],
            if frac.is_empty() { "" } else { "." },
            frac
        );
        text.parse().map_err(|e| DerError(format!("bad time {full}: {e}")))
    }

    /// A directory string as text (UTF8String, PrintableString, IA5String, BMPString).
    pub(crate) fn text(&self) -> Result<String> {
        match self.tag {
            tag::UTF8 | tag::PRINTABLE | tag::IA5 | 0x12 | 0x14 | 0x1A => {
                String::from_utf8(self.value.to_vec()).map_err(|_| DerError("text is not UTF-8".into()))
            }
            0x1E => {
                let units: Vec<u16> =
                    self.value.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
                String::from_utf16(&units).map_err(|_| DerError("BMPString is not UTF-16".into()))
            }
            t => err(format!("expected a string, found tag {t:#04x}")),
        }
    }
}

/// Upper-case hex, as serial numbers are shown.
pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The dotted form of an OID's content bytes.
pub(crate) fn oid_to_string(v: &[u8]) -> Result<String> {
    if v.is_empty() || v[v.len() - 1] & 0x80 != 0 {
        return err("bad object identifier");
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    for &b in v {
        if acc > (u64::MAX >> 7) {
            return err("object identifier arc too large");
        }
        acc = (acc << 7) | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            arcs.push(acc);
            acc = 0;
        }
    }
    let first = arcs[0];
    let (a, b) = if first < 40 {
        (0, first)
    } else if first < 80 {
        (1, first - 40)
    } else {
        (2, first - 80)
    };
    let mut s = format!("{a}.{b}");
    for arc in &arcs[1..] {
        s.push('.');
        s.push_str(&arc.to_string());
    }
    Ok(s)
}

/// Builds DER.
pub(crate) mod write {
    use jiff::Timestamp;

    use super::tag;

    fn length(len: usize, out: &mut Vec<u8>) {
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
            out.push(0x80 | bytes.len() as u8);
            out.extend(bytes);
        }
    }

    /// An element of tag `t` around `content`.
    pub(crate) fn tlv(t: u8, content: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(content.len() + 6);
        out.push(t);
        length(content.len(), &mut out);
        out.extend_from_slice(content);
        out
    }

    /// A constructed element of tag `t` around the concatenation of `parts`.
    pub(crate) fn cons(t: u8, parts: &[&[u8]]) -> Vec<u8> {
        tlv(t, &parts.concat())
    }

    pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
        cons(tag::SEQUENCE, parts)
    }

    /// A SET OF, its elements sorted by their encodings as DER requires.
    pub(crate) fn set_of(parts: &[Vec<u8>]) -> Vec<u8> {
        let mut sorted: Vec<&Vec<u8>> = parts.iter().collect();
        sorted.sort();
        tlv(tag::SET, &sorted.into_iter().flatten().copied().collect::<Vec<u8>>())
    }

    pub(crate) fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().expect("a numeric arc")).collect();
        let mut content = Vec::new();
        let mut push = |mut v: u64| {
            let mut tmp = vec![(v & 0x7F) as u8];
            v >>= 7;
            while v > 0 {
                tmp.push(0x80 | (v & 0x7F) as u8);
                v >>= 7;
            }
            tmp.reverse();
            content.extend(tmp);
        };
        push(arcs[0] * 40 + arcs[1]);
        for a in &arcs[2..] {
            push(*a);
        }
        tlv(tag::OID, &content)
    }

    /// A non-negative INTEGER from big-endian magnitude bytes.
    pub(crate) fn uint(be: &[u8]) -> Vec<u8> {
        tlv(tag::INTEGER, &uint_content(be))
    }

    /// The content octets of that INTEGER: no leading zeros but one to keep it positive.
    pub(crate) fn uint_content(be: &[u8]) -> Vec<u8> {
        let mut v: Vec<u8> = be.iter().copied().skip_while(|b| *b == 0).collect();
        if v.is_empty() || v[0] & 0x80 != 0 {
            v.insert(0, 0);
        }
        v
    }

    pub(crate) fn small(n: u64) -> Vec<u8> {
        uint(&n.to_be_bytes())
    }

    pub(crate) fn octets(b: &[u8]) -> Vec<u8> {
        tlv(tag::OCTET_STRING, b)
    }

    pub(crate) fn bits(b: &[u8]) -> Vec<u8> {
        let mut v = vec![0];
        v.extend_from_slice(b);
        tlv(tag::BIT_STRING, &v)
    }

    pub(crate) fn null() -> Vec<u8> {
        vec![tag::NULL, 0]
    }

    pub(crate) fn boolean(b: bool) -> Vec<u8> {
        tlv(tag::BOOLEAN, &[if b { 0xFF } else { 0 }])
    }

    pub(crate) fn utf8(s: &str) -> Vec<u8> {
        tlv(tag::UTF8, s.as_bytes())
    }

    pub(crate) fn printable(s: &str) -> Vec<u8> {
        tlv(tag::PRINTABLE, s.as_bytes())
    }

    /// UTCTime up to 2049, GeneralizedTime after (RFC 5280 §4.1.2.5).
    pub(crate) fn time(t: Timestamp) -> Vec<u8> {
        let dt = t.to_zoned_datetime(jiff::tz::TimeZone::UTC);
        if dt.year() < 2050 {
            tlv(tag::UTC_TIME, dt.strftime("%y%m%d%H%M%SZ").to_string().as_bytes())
        } else {
            tlv(tag::GENERALIZED_TIME, dt.strftime("%Y%m%d%H%M%SZ").to_string().as_bytes())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_round_trip() {
        for o in ["1.2.398.3.10.1.1.2.3.2", "1.2.840.113549.1.7.2", "2.5.4.3", "2.999.1"] {
            let enc = write::oid(o);
            let tlv = Reader::new(&enc).any().expect("test step");
            assert_eq!(tlv.oid().expect("test step"), o);
        }
    }

    #[test]
    fn indefinite_lengths_and_constructed_octets() {
        // SEQUENCE (indefinite) { [0] OCTET STRING constructed { "ab", "c" } } 00 00
        let data = [0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0, 0, 0, 0];
        let seq = Reader::new(&data).any().expect("test step");
        assert_eq!(seq.raw.len(), data.len());
        let inner = seq.children().any().expect("test step");
        assert_eq!(inner.octets().expect("test step"), b"abc");
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for bad in [
            &[][..],
            &[0x30],
            &[0x30, 0x05, 1],
            &[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF],
            &[0x04, 0x80, 0, 0],
            &[0x1F, 0x01, 0x00],
        ] {
            assert!(Reader::new(bad).any().is_err(), "{bad:?}");
        }
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 200).flatten().collect();
        assert!(Reader::new(&deep).any().is_err());
    }

    #[test]
    fn times() {
        let t = Reader::new(b"\x17\x0d260720090806Z").any().expect("test step").time().expect("test step");
        assert_eq!(t.to_string(), "2026-07-20T09:08:06Z");
        let g = Reader::new(b"\x18\x13" as &[u8]).any();
        assert!(g.is_err());
        let g = write::time("2051-01-02T03:04:05Z".parse().expect("test step"));
        assert_eq!(
            Reader::new(&g).any().expect("test step").time().expect("test step").to_string(),
            "2051-01-02T03:04:05Z"
        );
    }
}
