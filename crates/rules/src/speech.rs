//! One way to speak: every text a person reads, from a state's name to a refusal, comes from
//! the Fluent files `locales/{kk,ru,en}/*.ftl`, compiled in. Refusals and events carry typed
//! facts; they become words only here, at the edge, in the reader's language. Numbers are
//! Fluent numbers, so Russian and Kazakh plurals ("4 года", "5 рабочих дней") come from the
//! language's plural rules, and the numbers themselves from the rule set, not from the text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};

use crate::text::Lang;

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: case numbers and dates are copied by
        // people and searched by tests.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A value put into a message.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    /// Text, put in as it is.
    Text(Cow<'a, str>),
    /// A number: it selects the plural form.
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Arg<'a> {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Arg<'static> {
        Arg::Text(Cow::Owned(s))
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Arg<'static> {
        Arg::Number(i64::from(n))
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Arg<'static> {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<i16> for Arg<'_> {
    fn from(n: i16) -> Arg<'static> {
        Arg::Number(i64::from(n))
    }
}

fn id(lang: Lang) -> &'static LanguageIdentifier {
    static IDS: OnceLock<[LanguageIdentifier; 3]> = OnceLock::new();
    let ids = IDS.get_or_init(|| {
        [Lang::Kk, Lang::Ru, Lang::En].map(|l| l.tag().parse().unwrap_or_else(|_| LanguageIdentifier::default()))
    });
    &ids[lang as usize]
}

/// The message `key` with `args`, in `lang`. A key no file has is shown as the key, so a
/// missing text is visible rather than silently English (a test checks every key the code
/// uses exists in all three languages).
pub fn say(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    let said = say_plain(lang, key, args);
    if lang == Lang::Kk { crate::text::kk_case_endings(&said) } else { said }
}

fn say_plain(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    if args.is_empty() {
        return LOCALES.try_lookup(id(lang), key).unwrap_or_else(|| key.to_owned());
    }
    let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Arg::Text(t) => match as_date(t) {
                    Some(d) => FluentValue::from(crate::text::date_for(lang, d)),
                    None => FluentValue::from(t.as_ref()),
                },
                Arg::Number(n) => FluentValue::from(*n),
            };
            (Cow::Owned((*k).to_owned()), value)
        })
        .collect();
    LOCALES.try_lookup_with_args(id(lang), key, &map).unwrap_or_else(|| key.to_owned())
}

/// An argument that is a calendar date in ISO form (`2026-12-05`, as `jiff` prints one). Every
/// date said to a person is said in their language's one format ([`crate::text::date_for`]),
/// whichever code passed it (issue 31): so the rule lives here, where every message is made,
/// not at each of its callers.
fn as_date(text: &str) -> Option<jiff::civil::Date> {
    let b = text.as_bytes();
    let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    if !shaped { None } else { text.parse().ok() }
}

/// Whether `key` exists in `lang`.
pub fn has(lang: Lang, key: &str) -> bool {
    LOCALES.try_lookup(id(lang), key).is_some()
}

/// A name without arguments (a state, a document, a role), resolved once per language and
/// kept for the life of the process: names are a fixed, small set and are asked for on every
/// page, so they are handed out as `&'static str`.
pub fn word(lang: Lang, key: &'static str) -> &'static str {
    static WORDS: OnceLock<RwLock<HashMap<(Lang, &'static str), &'static str>>> = OnceLock::new();
    let words = WORDS.get_or_init(|| RwLock::new(HashMap::new()));
    if let Some(w) = words.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&(lang, key)) {
        return w;
    }
    let text: &'static str = Box::leak(say(lang, key, &[]).into_boxed_str());
    words.write().unwrap_or_else(std::sync::PoisonError::into_inner).insert((lang, key), text);
    text
}

/// The numbers the law fixes, under the names the Fluent files use for them, from `set`: a
/// text that says "within { $forward-days } working days" stays true when a new order changes
/// the number, and Russian and Kazakh put the right plural after it.
pub fn law_numbers(set: &crate::RuleSet) -> Vec<(&'static str, u32)> {
    let d = &set.deadlines;
    let t = &set.terms;
    vec![
        ("pass-mark", t.pass_mark_points.value),
        ("first-months", t.first_certificate_max_months.value),
        ("extension-years", t.extension_max_years.value),
        ("forward-days", d.forward_to_commission.working_days),
        ("decide-days", d.commission_decision.working_days),
        ("service-days", d.issue_service.working_days),
        ("extension-days", d.extension.working_days),
        ("notice-days", d.employer_change_notice.working_days),
        ("reissue-days", d.reissue_application.working_days),
        ("reissue-act-days", d.reissue.working_days),
        ("duplicate-days", d.duplicate_application.working_days),
        ("forwarding-days", d.complaint_forwarding.working_days),
        ("review-days", d.complaint_review.working_days),
    ]
}
