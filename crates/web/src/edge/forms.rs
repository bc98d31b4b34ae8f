//! Typed form bodies: every page form is read into a struct or a tagged enum by [`Form`],
//! never into a map with fall-through. What a form may hold is checked before any handler
//! runs, in the one place where a form is read:
//! - every value has a length limit, and only fields a form declares multi-line may hold
//!   line breaks; control characters are refused everywhere;
//! - an unknown choice (`action=frobnicate`) or a missing required field is a 422 in the
//!   person's language that names the field, and nothing happens.
//!
//! The apply form (App.1), with its uploads, is multipart: `pages::app1` reads it into its own
//! typed struct, under the same text rule ([`text_problem`]). Fields whose names come from the
//! rule set (criteria, documents, members) are [`DataFields`], beside a form's typed ones.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::edge::error::{Fault, PageError, Said};

/// The longest one-line value: a name, a number, a choice.
pub(crate) const LINE_LIMIT: usize = 300;
/// The longest multi-line value: reasons, a complaint, a note.
pub(crate) const TEXT_LIMIT: usize = 10_000;

/// The fields of a form whose names come from data rather than code: the criteria of the
/// Commission's scoring (`c-…`), the documents an officer names (`missing-…`), the members
/// present (`present-…`), the grounds ticked. Read by the names the rule set or the roster
/// gives, under the same text rule as every other field; a form's fixed fields stay typed
/// beside it (`#[serde(flatten)]`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct DataFields(std::collections::BTreeMap<String, String>);

impl DataFields {
    /// The value of field `name`, as posted.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Whether field `name` was posted (a ticked box).
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Whether nothing was posted.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every field, as (name, value), in name order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The Commission's scoring preview posts the whole case form around it, its reasoning too.
impl FormSpec for DataFields {
    const MULTILINE: &'static [&'static str] = &["reasoning", "note"];
}

/// What a form declares about its fields beyond their types.
pub(crate) trait FormSpec {
    /// Fields that may hold several lines.
    const MULTILINE: &'static [&'static str] = &[];
}

/// A choice a form offers, as the web spells it, apart from the domain's own serialized
/// names: renaming a variant in `rules` (whose names are in stored events) changes no form.
macro_rules! choice {
    ($(#[$m:meta])* $name:ident => $domain:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
        pub(crate) enum $name {
            $(#[serde(rename = $text)] $variant),+
        }
        impl From<$name> for $domain {
            fn from(c: $name) -> $domain {
                match c { $($name::$variant => $domain::$variant),+ }
            }
        }
        #[allow(dead_code, reason = "used by the forms that show a choice again")]
        impl $name {
            /// The value the form posts, to mark the choice again when the form is shown back.
            pub(crate) fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
    };
}
pub(crate) use choice;

/// A date as people type it here, `dd.mm.yyyy` (also with `/` or `-` between the parts),
/// or ISO `yyyy-mm-dd`. Every date field of the pages reads dates this way.
pub(crate) fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['.', '/', '-']).collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
        }
        _ => s.parse().ok(),
    }
}

/// A problem with one field, before it is put into words.
fn field_fault(key: &'static str, field: &str, limit: Option<usize>) -> PageError {
    PageError::of(Fault::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Said::Field { key, field: field.to_owned(), limit: limit.map(|l| l as u32) },
    ))
}

/// What is wrong with one text value, if anything: too long, or control characters (line
/// breaks and tabs are allowed only where `multiline`). As a `Said::Field` for `field`.
pub(crate) fn text_problem(field: &str, value: &str, multiline: bool) -> Option<Said> {
    let limit = if multiline { TEXT_LIMIT } else { LINE_LIMIT };
    let said = |key, limit: Option<usize>| Said::Field { key, field: field.to_owned(), limit: limit.map(|l| l as u32) };
    if value.chars().count() > limit {
        return Some(said("error-field-too-long", Some(limit)));
    }
    let allowed = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    value.chars().any(|c| c.is_control() && !allowed(c)).then(|| said("error-field-control", None))
}

/// Checks one text value; see [`text_problem`].
pub(crate) fn check_text(field: &str, value: &str, multiline: bool) -> Result<(), PageError> {
    match text_problem(field, value, multiline) {
        Some(said) => Err(PageError::of(Fault::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", said))),
        None => Ok(()),
    }
}

/// The field a deserialization error is about, and whether it was missing. Inside a tagged
/// enum serde does not track the path, so an unknown choice is found by its value.
fn failed_field(e: &serde_path_to_error::Error<serde::de::value::Error>, bytes: &[u8]) -> (String, bool) {
    let message = e.inner().to_string();
    let quoted = |prefix: &str| message.strip_prefix(prefix).and_then(|r| r.split('`').next()).map(str::to_owned);
    if let Some(field) = quoted("missing field `") {
        return (field, true);
    }
    let path = e.path().to_string();
    if path != "." {
        return (path, false);
    }
    let field = quoted("unknown variant `")
        .and_then(|value| form_urlencoded::parse(bytes).find(|(_, v)| *v == value).map(|(k, _)| k.into_owned()))
        .unwrap_or_default();
    (field, false)
}

/// An e-mail address as typed: `Ok(None)` when left empty (no mail), `Err(())` when it is
/// not one. One address as the mailer reads it (lettre's `Address`: RFC 5321 local part and
/// domain), so `a@b.kz,d` or a display name is refused here rather than mailed oddly; a dotted
/// domain, at most 254 characters. The mail server judges the rest, and a failed delivery
/// shows on `/admin`.
pub(crate) fn email(typed: &str) -> Result<Option<&str>, ()> {
    let email = typed.trim();
    if email.is_empty() {
        return Ok(None);
    }
    let parsed = email.parse::<lettre::Address>().map_err(|_| ())?;
    if parsed.domain().contains('.') && email.len() <= 254 { Ok(Some(email)) } else { Err(()) }
}

/// A URL-encoded form read into `T`; see the module documentation.
pub(crate) struct Form<T>(pub(crate) T);

/// Reads a URL-encoded body into `T` after checking every value.
pub(crate) fn parse<T: DeserializeOwned + FormSpec>(bytes: &[u8]) -> Result<T, PageError> {
    for (k, v) in form_urlencoded::parse(bytes) {
        check_text(&k, &v, T::MULTILINE.contains(&k.as_ref()))?;
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let (field, missing) = failed_field(&e, bytes);
        tracing::info!(field = %field, missing, "form refused");
        field_fault(if missing { "error-field-missing" } else { "error-field-invalid" }, &field, None)
    })
}

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned + FormSpec,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Form<T>, PageError> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| PageError::of(Fault::new(e.status(), "invalid", Said::Key("error-body-unreadable"))))?;
        parse(&bytes).map(Form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15: an address for notices is one or none; a typing slip is refused.
    #[test]
    fn an_email_address_is_shaped_like_one() {
        assert_eq!(email("  "), Ok(None));
        assert_eq!(email(" maria@example.kz "), Ok(Some("maria@example.kz")));
        for bad in ["maria at home", "maria@", "@example.kz", "maria@example", "a@b@c.kz", "ma ria@example.kz"] {
            assert_eq!(email(bad), Err(()), "{bad}");
        }
        // Issue 30: one address, as the mailer reads it: no list, no display name.
        for bad in ["a@b.kz,d", "a@b.kz, c@d.kz", "Maria <maria@example.kz>", "a@b.kz;c@d.kz"] {
            assert_eq!(email(bad), Err(()), "{bad}");
        }
    }

    /// Issue 14: dates are typed as the local habit, dd.mm.yyyy; ISO is accepted too, and a
    /// day that does not exist is not a date.
    #[test]
    fn dates_are_read_as_typed_here() {
        let d = jiff::civil::date(2026, 3, 2);
        for typed in ["02.03.2026", "2.3.2026", " 02/03/2026 ", "02-03-2026", "2026-03-02"] {
            assert_eq!(parse_date(typed), Some(d), "{typed}");
        }
        for wrong in ["31.02.2026", "2026.03.02", "03.2026", "", "02.03.26"] {
            assert_eq!(parse_date(wrong), None, "{wrong}");
        }
    }
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "action", rename_all = "kebab-case")]
    enum Act {
        Forward,
        Decide {
            verdict: Verdict,
            #[serde(default)]
            text: String,
        },
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    enum Verdict {
        Upheld,
        Rejected,
    }

    impl FormSpec for Act {
        const MULTILINE: &'static [&'static str] = &["text"];
    }

    fn field_of(e: PageError) -> (&'static str, String) {
        match e.0.said {
            Said::Field { key, field, .. } => (key, field),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn typed_forms_refuse_what_they_do_not_offer() {
        assert_eq!(parse::<Act>(b"action=forward&csrf=x").ok(), Some(Act::Forward));
        assert_eq!(
            parse::<Act>(b"action=decide&verdict=upheld&text=a%0Ab").ok(),
            Some(Act::Decide { verdict: Verdict::Upheld, text: "a\nb".into() })
        );
        let unknown = parse::<Act>(b"action=frobnicate").err().map(field_of);
        assert_eq!(unknown.map(|u| u.0), Some("error-field-invalid"));
        let missing = parse::<Act>(b"action=decide").err().map(field_of);
        assert_eq!(missing, Some(("error-field-missing", "verdict".to_owned())));
        let bad = parse::<Act>(b"action=decide&verdict=maybe").err().map(field_of);
        assert_eq!(bad, Some(("error-field-invalid", "verdict".to_owned())));
    }

    #[test]
    fn limits_and_control_characters() {
        let long = format!("action=forward&name={}", "a".repeat(LINE_LIMIT + 1));
        assert_eq!(parse::<Act>(long.as_bytes()).err().map(field_of).map(|f| f.0), Some("error-field-too-long"));
        let nul = parse::<Act>(b"action=forward&name=a%00b").err().map(field_of);
        assert_eq!(nul, Some(("error-field-control", "name".to_owned())));
        let newline_in_a_line = parse::<Act>(b"action=forward&name=a%0Ab").err().map(field_of);
        assert_eq!(newline_in_a_line.map(|f| f.0), Some("error-field-control"));
        assert!(check_text("name", "王伟 محمد देवनागरी ქართული Հայերեն", false).is_ok());
    }
}
