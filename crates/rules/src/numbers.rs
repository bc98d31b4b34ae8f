//! Case and certificate numbers: readable, unique per akimat and year, with a check
//! character that catches a mistyped character or two swapped neighbours.
//!
//! `AST-2026-00042-K` is certificate 42 of 2026 of the Astana akimat; `Z-AST-2026-000123-P`
//! is application case 123. The sequence is allocated by the store (one counter per akimat,
//! kind and year); this module only formats, checks and parses. R8.3: a re-issue gets a new
//! number; R11.2: a duplicate keeps the original's.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn code_point(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Luhn mod 36 over the letters and digits of `payload` (dashes ignored): detects every single
/// changed character and every swap of two adjacent ones.
pub fn check_char(payload: &str) -> char {
    let n = 36;
    let mut factor = 2;
    let mut sum = 0;
    for c in payload.bytes().rev().filter(|c| *c != b'-') {
        let Some(cp) = code_point(c) else { continue };
        let addend = factor * cp;
        factor = if factor == 2 { 1 } else { 2 };
        sum += addend / n + addend % n;
    }
    ALPHABET[((n - sum % n) % n) as usize] as char
}

/// Whether `p` is a valid akimat prefix: three capital Latin letters.
pub fn valid_prefix(p: &str) -> bool {
    p.len() == 3 && p.bytes().all(|b| b.is_ascii_uppercase())
}

/// Why a string is not a valid number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// The shape is wrong.
    #[error("{0:?} is not a number of the form {1}")]
    Format(String, &'static str),
    /// The check character does not match.
    #[error("the check character of {number} should be {expected}: the number is mistyped")]
    Check {
        /// The number given.
        number: String,
        /// The right check character.
        expected: char,
    },
}

/// A number's fields, and its text as written once when it was made: a number is shown,
/// keyed and stored far more often than made, and formatting it with its check character
/// each time was 3% of the writer's time (issue 34). The text follows from the fields, so
/// comparing both compares the fields. The prefix is read from the text, which keeps a number
/// as small as it was (it is in every case and complaint event).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Parts {
    text: Box<str>,
    /// Where the prefix is in the text.
    prefix_at: (u8, u8),
    year: u16,
    seq: u32,
}

impl Parts {
    fn new(lead: &str, prefix: &str, year: u16, seq: u32, width: usize) -> Parts {
        let payload = format!("{lead}{prefix}-{year}-{seq:0width$}");
        let c = check_char(&payload);
        // A valid prefix is a few letters (valid_prefix), so its place fits in a byte.
        let prefix_at = (lead.len() as u8, (lead.len() + prefix.len()) as u8);
        Parts { text: format!("{payload}-{c}").into_boxed_str(), prefix_at, year, seq }
    }

    fn prefix(&self) -> &str {
        &self.text[usize::from(self.prefix_at.0)..usize::from(self.prefix_at.1)]
    }
}

/// Numbers are ordered by prefix, year and sequence.
impl Ord for Parts {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.prefix(), self.year, self.seq).cmp(&(other.prefix(), other.year, other.seq))
    }
}

impl PartialOrd for Parts {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn parse_parts(s: &str, lead: &str, width: usize, shape: &'static str) -> Result<Parts, NumberError> {
    let bad = || NumberError::Format(s.to_owned(), shape);
    let t = s.trim().to_ascii_uppercase();
    let rest = t.strip_prefix(lead).ok_or_else(bad)?;
    let fields: Vec<&str> = rest.split('-').collect();
    let [prefix, year, seq, check] = fields[..] else { return Err(bad()) };
    if !valid_prefix(prefix)
        || year.len() != 4
        || seq.len() != width
        || check.len() != 1
        || !year.bytes().all(|b| b.is_ascii_digit())
        || !seq.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let (year, seq) = (year.parse().map_err(|_| bad())?, seq.parse().map_err(|_| bad())?);
    let expected = check_char(&t[..t.len() - 2]);
    if !check.starts_with(expected) {
        return Err(NumberError::Check { number: s.trim().to_owned(), expected });
    }
    Ok(Parts::new(lead, prefix, year, seq, width))
}

macro_rules! registry_number {
    ($(#[$doc:meta])* $name:ident, $lead:literal, $width:literal, $shape:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Parts);

        impl $name {
            /// The number for sequence `seq` of `year` at the akimat with `prefix`.
            pub fn new(prefix: &str, year: u16, seq: u32) -> Result<Self, NumberError> {
                if !valid_prefix(prefix) || !(2000..=9999).contains(&year) || seq == 0 || seq >= 10u32.pow($width) {
                    return Err(NumberError::Format(format!("{prefix}/{year}/{seq}"), $shape));
                }
                Ok(Self(Parts::new($lead, prefix, year, seq, $width)))
            }

            /// Parses and checks a number as a person typed it (case and spaces forgiven).
            pub fn parse(s: &str) -> Result<Self, NumberError> {
                parse_parts(s, $lead, $width, $shape).map(Self)
            }

            /// The akimat's prefix.
            pub fn prefix(&self) -> &str {
                self.0.prefix()
            }

            /// The year of the sequence.
            pub fn year(&self) -> u16 {
                self.0.year
            }

            /// The sequence number within the akimat and year.
            pub fn seq(&self) -> u32 {
                self.0.seq
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0.text)
            }
        }

        impl FromStr for $name {
            type Err = NumberError;
            fn from_str(s: &str) -> Result<Self, NumberError> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = NumberError;
            fn try_from(s: String) -> Result<Self, NumberError> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(n: $name) -> String {
                n.0.text.into()
            }
        }
    };
}

registry_number!(
    /// A certificate's number (App.3): `AST-2026-00042-K`.
    CertificateNumber, "", 5, "AST-2026-00042-K"
);
registry_number!(
    /// A case's number, what the applicant and the 1411 operator quote: `Z-AST-2026-000123-P`.
    CaseNumber, "Z-", 6, "Z-AST-2026-000123-P"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r8_3_numbers_round_trip_and_catch_typos() {
        let n = CertificateNumber::new("AST", 2026, 42).expect("valid");
        let s = n.to_string();
        assert!(s.starts_with("AST-2026-00042-"), "{s}");
        assert_eq!(CertificateNumber::parse(&s), Ok(n.clone()));
        assert_eq!(CertificateNumber::parse(&s.to_lowercase()), Ok(n));
        // Change each digit of the sequence: always caught.
        for i in 9..14 {
            let mut b = s.clone().into_bytes();
            b[i] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
            let typo = String::from_utf8(b).expect("ascii");
            assert!(matches!(CertificateNumber::parse(&typo), Err(NumberError::Check { .. })), "{typo}");
        }
        // Swap two adjacent different digits: caught.
        let swapped = s.replace("00042", "00024");
        assert!(CertificateNumber::parse(&swapped).is_err());
        let case = CaseNumber::new("ALA", 2026, 123).expect("valid");
        assert!(case.to_string().starts_with("Z-ALA-2026-000123-"));
        assert_eq!(CaseNumber::parse(&case.to_string()), Ok(case));
        assert!(CertificateNumber::parse("AST-2026-42-K").is_err());
        assert!(CertificateNumber::new("AST", 2026, 0).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_single_substitution_is_caught(seq in 1u32..99_999, pos in 0usize..16, c in 0usize..36) {
            let s = CertificateNumber::new("KAR", 2027, seq).expect("valid").to_string();
            let mut b = s.clone().into_bytes();
            let p = pos % b.len();
            if b[p] != b'-' && b[p] != ALPHABET[c] {
                b[p] = ALPHABET[c];
                let typo = String::from_utf8(b).expect("ascii");
                proptest::prop_assert!(CertificateNumber::parse(&typo).is_err(), "{} accepted", typo);
            }
        }
    }
}
