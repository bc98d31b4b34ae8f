//! IIN and BIN: the 12-digit identifiers of people and of legal entities (R3.3,
//! REQUIREMENTS.md §15), parsed once at the edge so an invalid one cannot exist inside.
//!
//! Every applicant has an IIN (an EDS needs one, App.2 item 10.2); employers are named by BIN,
//! or by IIN for an individual entrepreneur. Both end in a check digit.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Why a string is not a valid IIN or BIN. The message says exactly which check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not 12 digits long.
    #[error("must be 12 digits, found {found}")]
    Length {
        /// How many characters were given (after removing spaces).
        found: usize,
    },
    /// A character that is not a digit.
    #[error("character {position} is {found:?}, not a digit")]
    NotDigit {
        /// 1-based position.
        position: usize,
        /// The character.
        found: char,
    },
    /// The IIN's first six digits are not a date of birth.
    #[error("digits 1-6 ({yymmdd}) are not a valid date of birth")]
    BirthDate {
        /// The six digits.
        yymmdd: String,
    },
    /// The IIN's 7th digit is not a known century-and-sex digit.
    #[error("digit 7 ({digit}) is not a century-and-sex digit (0-6)")]
    CenturyDigit {
        /// The digit.
        digit: u8,
    },
    /// The BIN's digits 3-4 are not a month of registration.
    #[error("digits 3-4 ({mm}) are not a month of registration")]
    RegistrationMonth {
        /// The two digits.
        mm: String,
    },
    /// The BIN's 5th digit is not an entity type.
    #[error("digit 5 ({digit}) is not an entity type (4 resident, 5 non-resident, 6 joint entrepreneurship)")]
    EntityType {
        /// The digit.
        digit: u8,
    },
    /// The BIN's 6th digit is not an attribute.
    #[error("digit 6 ({digit}) is not an attribute (0 head office, 1 branch, 2 representative office, 3 peasant farm)")]
    Attribute {
        /// The digit.
        digit: u8,
    },
    /// The check digit does not match.
    #[error("check digit is {found}, but the first eleven digits give {expected}")]
    CheckDigit {
        /// What the first eleven digits give.
        expected: u8,
        /// The 12th digit given.
        found: u8,
    },
    /// The first eleven digits give no check digit with either set of weights: no such number
    /// can be issued.
    #[error("the first eleven digits give no valid check digit with either set of weights")]
    NoCheckDigit,
}

impl IdError {
    /// A stable code for translations (`id-length`, `id-check-digit`, …).
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Length { .. } => "id-length",
            IdError::NotDigit { .. } => "id-not-digit",
            IdError::BirthDate { .. } => "id-birth-date",
            IdError::CenturyDigit { .. } => "id-century-digit",
            IdError::RegistrationMonth { .. } => "id-registration-month",
            IdError::EntityType { .. } => "id-entity-type",
            IdError::Attribute { .. } => "id-attribute",
            IdError::CheckDigit { .. } => "id-check-digit",
            IdError::NoCheckDigit => "id-no-check-digit",
        }
    }
}

/// Digits of a 12-digit number, after removing white space.
fn digits(input: &str) -> Result<[u8; 12], IdError> {
    let cleaned: Vec<char> = input.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some((i, &c)) = cleaned.iter().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(IdError::NotDigit { position: i + 1, found: c });
    }
    if cleaned.len() != 12 {
        return Err(IdError::Length { found: cleaned.len() });
    }
    let mut out = [0u8; 12];
    for (o, c) in out.iter_mut().zip(cleaned) {
        *o = c as u8 - b'0';
    }
    Ok(out)
}

/// The check digit of the first eleven digits: weights 1..11, then 3..11,1,2 if the first
/// sum mod 11 is 10; `None` when the second is 10 too.
pub fn check_digit(d: &[u8; 12]) -> Option<u8> {
    let sum = |weights: [u32; 11]| d[..11].iter().zip(weights).map(|(&x, w)| u32::from(x) * w).sum::<u32>() % 11;
    let first = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    let s = if first == 10 { sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]) } else { first };
    (s != 10).then_some(s as u8)
}

fn verify_check_digit(d: &[u8; 12]) -> Result<(), IdError> {
    match check_digit(d) {
        None => Err(IdError::NoCheckDigit),
        Some(c) if c == d[11] => Ok(()),
        Some(c) => Err(IdError::CheckDigit { expected: c, found: d[11] }),
    }
}

fn two(d: &[u8; 12], i: usize) -> u8 {
    d[i] * 10 + d[i + 1]
}

fn text(d: &[u8; 12]) -> String {
    d.iter().map(|x| char::from(b'0' + x)).collect()
}

/// Sex as the IIN's seventh digit encodes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Odd digit.
    Male,
    /// Even digit.
    Female,
}

/// An individual identification number (ЖСН / ИИН).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin([u8; 12]);

impl Iin {
    /// Parses and checks an IIN: length, digits, date of birth, century digit, check digit.
    pub fn parse(input: &str) -> Result<Iin, IdError> {
        let d = digits(input)?;
        if d[6] > 6 {
            return Err(IdError::CenturyDigit { digit: d[6] });
        }
        let iin = Iin(d);
        let (month, day) = (two(&d, 2) as i8, two(&d, 4) as i8);
        let valid_date = match iin.birth_year() {
            Some(y) => Date::new(y, month, day).is_ok(),
            // Century unknown (digit 0): month and day must exist in some year.
            None => Date::new(2000, month, day).is_ok(),
        };
        if !valid_date {
            return Err(IdError::BirthDate { yymmdd: text(&d)[..6].to_owned() });
        }
        verify_check_digit(&d)?;
        Ok(iin)
    }

    fn birth_year(&self) -> Option<i16> {
        let century: i16 = match self.0[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return None,
        };
        Some(century + i16::from(two(&self.0, 0)))
    }

    /// The date of birth, when the seventh digit gives the century.
    pub fn birth_date(&self) -> Option<Date> {
        Date::new(self.birth_year()?, two(&self.0, 2) as i8, two(&self.0, 4) as i8).ok()
    }

    /// The seventh digit: century and sex (0 is seen for some foreigners).
    pub fn century_sex_digit(&self) -> u8 {
        self.0[6]
    }

    /// Sex, when the seventh digit gives it.
    pub fn sex(&self) -> Option<Sex> {
        match self.0[6] {
            0 => None,
            d if d % 2 == 1 => Some(Sex::Male),
            _ => Some(Sex::Female),
        }
    }

    /// The twelve digits.
    pub fn as_string(&self) -> String {
        text(&self.0)
    }
}

/// What kind of entity a BIN names (its fifth digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityType {
    /// 4: a resident legal entity.
    ResidentLegalEntity,
    /// 5: a non-resident legal entity.
    NonResidentLegalEntity,
    /// 6: a joint individual entrepreneurship.
    JointEntrepreneurship,
}

/// Which part of the entity a BIN names (its sixth digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityAttribute {
    /// 0.
    HeadOffice,
    /// 1.
    Branch,
    /// 2.
    RepresentativeOffice,
    /// 3.
    PeasantFarm,
}

/// A business identification number (БСН / БИН).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bin([u8; 12]);

impl Bin {
    /// Parses and checks a BIN: length, digits, month, entity type, attribute, check digit.
    pub fn parse(input: &str) -> Result<Bin, IdError> {
        let d = digits(input)?;
        if !(1..=12).contains(&two(&d, 2)) {
            return Err(IdError::RegistrationMonth { mm: text(&d)[2..4].to_owned() });
        }
        if !(4..=6).contains(&d[4]) {
            return Err(IdError::EntityType { digit: d[4] });
        }
        if d[5] > 3 {
            return Err(IdError::Attribute { digit: d[5] });
        }
        verify_check_digit(&d)?;
        Ok(Bin(d))
    }

    /// Year and month of registration as written (`YY`, `MM`).
    pub fn registered(&self) -> (u8, u8) {
        (two(&self.0, 0), two(&self.0, 2))
    }

    /// The entity type.
    pub fn entity_type(&self) -> EntityType {
        match self.0[4] {
            4 => EntityType::ResidentLegalEntity,
            5 => EntityType::NonResidentLegalEntity,
            _ => EntityType::JointEntrepreneurship,
        }
    }

    /// The attribute.
    pub fn attribute(&self) -> EntityAttribute {
        match self.0[5] {
            0 => EntityAttribute::HeadOffice,
            1 => EntityAttribute::Branch,
            2 => EntityAttribute::RepresentativeOffice,
            _ => EntityAttribute::PeasantFarm,
        }
    }

    /// The twelve digits.
    pub fn as_string(&self) -> String {
        text(&self.0)
    }
}

/// An employer's number: a BIN, or an IIN for an individual entrepreneur (R5.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "number", rename_all = "lowercase")]
pub enum TaxpayerId {
    /// A person (an individual entrepreneur).
    Iin(Iin),
    /// A legal entity.
    Bin(Bin),
}

impl TaxpayerId {
    /// Parses either kind. An IIN's fifth digit is the tens of a day (0-3) and a BIN's is its
    /// entity type (4-6), so that digit tells them apart.
    pub fn parse(input: &str) -> Result<TaxpayerId, IdError> {
        let d = digits(input)?;
        if d[4] >= 4 { Bin::parse(input).map(TaxpayerId::Bin) } else { Iin::parse(input).map(TaxpayerId::Iin) }
    }
}

macro_rules! string_forms {
    ($t:ty) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.as_string())
            }
        }
        impl FromStr for $t {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                <$t>::parse(s)
            }
        }
        impl TryFrom<String> for $t {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                <$t>::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.as_string()
            }
        }
    };
}
string_forms!(Iin);
string_forms!(Bin);

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    // REQUIREMENTS.md §15 examples; R3.3: every applicant has an IIN, employers a BIN.
    #[test]
    fn r3_3_valid_examples_parse() {
        let a = Iin::parse("850101300124").expect("valid IIN");
        assert_eq!(a.birth_date(), Some(date(1985, 1, 1)));
        assert_eq!(a.sex(), Some(Sex::Male));
        let b = Iin::parse("900305401113").expect("valid IIN");
        assert_eq!(b.birth_date(), Some(date(1990, 3, 5)));
        assert_eq!(b.sex(), Some(Sex::Female));
        let c = Bin::parse("170440000126").expect("valid BIN");
        assert_eq!(c.registered(), (17, 4));
        assert_eq!(c.entity_type(), EntityType::ResidentLegalEntity);
        assert_eq!(c.attribute(), EntityAttribute::HeadOffice);
        assert_eq!(TaxpayerId::parse("170440000126"), Ok(TaxpayerId::Bin(c)));
        assert_eq!(TaxpayerId::parse("850101300124"), Ok(TaxpayerId::Iin(a)));
    }

    #[test]
    fn each_failure_names_its_check() {
        assert_eq!(Iin::parse("821214240092"), Err(IdError::NoCheckDigit));
        assert_eq!(Iin::parse("85010130012"), Err(IdError::Length { found: 11 }));
        assert_eq!(Iin::parse("85010130012a"), Err(IdError::NotDigit { position: 12, found: 'a' }));
        assert_eq!(Iin::parse("850101300125"), Err(IdError::CheckDigit { expected: 4, found: 5 }));
        assert!(matches!(Iin::parse("851301300124"), Err(IdError::BirthDate { .. })));
        assert!(matches!(Iin::parse("850230300124"), Err(IdError::BirthDate { .. })));
        assert!(matches!(Iin::parse("850101800124"), Err(IdError::CenturyDigit { digit: 8 })));
        assert!(matches!(Bin::parse("171340000126"), Err(IdError::RegistrationMonth { .. })));
        assert!(matches!(Bin::parse("170470000126"), Err(IdError::EntityType { digit: 7 })));
        assert!(matches!(Bin::parse("170449000126"), Err(IdError::Attribute { digit: 9 })));
        assert_eq!(Iin::parse(" 850101 300124 ").map(|i| i.to_string()), Ok("850101300124".into()));
    }

    #[test]
    fn century_digit_zero_is_accepted_without_a_birth_date() {
        // Find a valid check digit for 850101 0 0012 ?.
        let mut d = [8, 5, 0, 1, 0, 1, 0, 0, 0, 1, 2, 0];
        if let Some(c) = check_digit(&d) {
            d[11] = c;
            let iin = Iin::parse(&text(&d)).expect("valid with digit 0");
            assert_eq!(iin.birth_date(), None);
            assert_eq!(iin.sex(), None);
        }
    }

    proptest::proptest! {
        #[test]
        fn exactly_one_last_digit_is_valid_when_any_is(prefix in proptest::collection::vec(0u8..10, 11)) {
            let mut d = [0u8; 12];
            d[..11].copy_from_slice(&prefix);
            let valid = (0..10).filter(|&c| { d[11] = c; verify_check_digit(&d).is_ok() }).count();
            proptest::prop_assert!(valid <= 1);
        }
    }
}
