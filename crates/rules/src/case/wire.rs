//! An event's `kind` read tag first.
//!
//! `EventKind` is internally tagged (`{"event": "registered", "due": …}`). serde's derived
//! reader for that form cannot know where the tag is, so it first copies the whole object
//! into a buffer of its own and reads the variant from the copy: for a filing, the whole
//! application twice. Everything qualcert writes puts the tag first (serde's writer does), so
//! this reader takes the first key as the tag and reads the variant's fields straight from
//! the input. A value whose tag is elsewhere (written by hand, or by another tool) is read
//! the buffered way, so any valid JSON still reads. Replaying a period's log is mostly this
//! parse (issue 36).

use std::fmt;

use jiff::civil::Date;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, VariantAccess, Visitor};

use super::application::Application;
use super::kind::EventKind;
use super::outcome::{CommissionDecision, Outcome};
use crate::deadline::{DueDate, Lateness};
use crate::documents::Completeness;
use crate::numbers::CaseNumber;
use crate::vocab::Ground;

/// The tag's key.
const TAG: &str = "event";

/// `EventKind` as an externally tagged enum: the variant named from outside, its fields read
/// from a map. serde checks this against `EventKind` field by field (`remote`), so the two
/// cannot drift apart.
#[derive(Deserialize)]
#[serde(remote = "EventKind", rename_all = "kebab-case")]
enum ByName {
    Submitted {
        number: CaseNumber,
        application: Box<Application>,
        received_on: Date,
        rule_set: String,
        criteria: String,
        catalogue: String,
        due: DueDate,
        late: Option<Lateness>,
    },
    NotAccepted {
        completeness: Completeness,
        note: String,
    },
    Registered {
        due: DueDate,
        service_due: DueDate,
    },
    Forwarded {
        due: DueDate,
    },
    Decided {
        decision: Box<CommissionDecision>,
    },
    Completed {
        outcome: Outcome,
    },
    Refused {
        grounds: Vec<Ground>,
        reasoning: String,
    },
    Closed {
        certificate: crate::numbers::CertificateNumber,
        status: Box<crate::vocab::Status>,
    },
}

/// Reads an `EventKind`, tag first when it is first (`#[serde(deserialize_with)]`).
pub(crate) fn event_kind<'de, D: Deserializer<'de>>(d: D) -> Result<EventKind, D::Error> {
    d.deserialize_map(TagFirst)
}

struct TagFirst;

impl<'de> Visitor<'de> for TagFirst {
    type Value = EventKind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event, an object with an \"event\" key")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventKind, A::Error> {
        let Some(first) = map.next_key::<String>()? else { return Err(de::Error::missing_field(TAG)) };
        if first == TAG {
            let variant: String = map.next_value()?;
            return ByName::deserialize(Named { variant, rest: map });
        }
        // The tag is elsewhere: gather the object and read it the buffered way.
        let mut all = serde_json::Map::new();
        all.insert(first, map.next_value()?);
        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
            all.insert(k, v);
        }
        EventKind::deserialize(serde_json::Value::Object(all)).map_err(de::Error::custom)
    }
}

/// The rest of the object after its tag, as an enum whose variant is the tag: what the
/// externally tagged reader expects.
struct Named<A> {
    variant: String,
    rest: A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Named<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for Named<A> {
    type Error = A::Error;
    type Variant = Rest<A>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Rest<A>), A::Error> {
        let name = seed.deserialize(self.variant.into_deserializer())?;
        Ok((name, Rest(self.rest)))
    }
}

/// The variant's fields: the rest of the map.
struct Rest<A>(A);

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Rest<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        while self.0.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, A::Error> {
        Err(de::Error::custom("an event's kind has named fields"))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("an event's kind has named fields"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<EventKind, serde_json::Error> {
        event_kind(&mut serde_json::Deserializer::from_str(json))
    }

    /// Whatever qualcert writes reads back the same tag first; with the tag moved last it
    /// reads the same the buffered way; unknown fields are ignored as before; and what is
    /// not an event is refused. Issue 36 (replay speed) relies on this reader.
    #[test]
    fn tag_first_and_buffered_agree() {
        let day = |d: i8| jiff::civil::date(2026, 3, d);
        let due = DueDate {
            on: day(4),
            from: day(2),
            working_days: 2,
            citation: crate::citation::Citation::from("App.2 item 9.2"),
            requirement: "R3.4".into(),
        };
        let kinds = [
            EventKind::Registered { due: due.clone(), service_due: due.clone() },
            EventKind::Forwarded { due },
            EventKind::Refused { grounds: vec![Ground::BelowPassMark], reasoning: "шкала".into() },
        ];
        for kind in kinds {
            let written = serde_json::to_string(&kind).expect("write");
            assert!(written.starts_with(r#"{"event":"#), "serde writes the tag first: {written}");
            assert_eq!(read(&written).expect("tag first"), kind);
            // The tag moved to the end.
            let mut v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&written).expect("object");
            let tag = v.remove(TAG).expect("tag");
            v.insert(TAG.into(), tag);
            let moved = serde_json::to_string(&v).expect("write");
            assert!(!moved.starts_with(r#"{"event":"#), "{moved}");
            assert_eq!(read(&moved).expect("tag last"), kind);
            // An unknown field, ignored by both readers.
            let extra = format!(r#"{},"later":true}}"#, &written[..written.len() - 1]);
            assert_eq!(read(&extra).expect("an unknown field"), kind, "{extra}");
            assert_eq!(serde_json::from_str::<EventKind>(&extra).expect("buffered"), kind);
        }
        for bad in [r#"{"event":"nonsense"}"#, r#"{"due":1}"#, "{}", r#"{"event":"forwarded"}"#, "[]", r#"{"event":1}"#]
        {
            assert!(read(bad).is_err(), "{bad}");
        }
    }
}
