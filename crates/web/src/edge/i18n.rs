//! Languages: every page and message in Kazakh, Russian and English, from `locales/*/main.ftl`.
//! The language is the `?lang=` of the request, else the `lang` cookie, else the first
//! language of `Accept-Language` we speak, else Kazakh, the state language.

use std::sync::{Arc, OnceLock};

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri};
use rules::Lang;
use rules::speech::{Arg, say};

use crate::edge::AppState;

/// Text in one language, through the one speech module of `rules` (all of `locales/`), with
/// the numbers of the rule set in force (`{ $pass-mark }`, `{ $forward-days }`) available to
/// every message.
#[derive(Debug, Clone)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
    numbers: Arc<[(&'static str, u32)]>,
}

impl Tr {
    /// Text in `lang` with the numbers of the shipped rule set in force today, for answers
    /// given before the application state is at hand (rate limits).
    pub fn new(lang: Lang) -> Tr {
        static SHIPPED: OnceLock<Arc<[(&'static str, u32)]>> = OnceLock::new();
        let numbers = SHIPPED.get_or_init(|| {
            let book = rules::RuleBook::embedded().ok();
            let today = jiff::tz::TimeZone::get("Asia/Almaty")
                .unwrap_or(jiff::tz::TimeZone::UTC)
                .to_datetime(jiff::Timestamp::now())
                .date();
            book.as_ref().map(|b| rules::speech::law_numbers(b.in_force_or_earliest(today))).unwrap_or_default().into()
        });
        Tr { lang, numbers: Arc::clone(numbers) }
    }

    /// Text in `lang` with the numbers of `set`.
    pub fn under(lang: Lang, set: &rules::RuleSet) -> Tr {
        Tr { lang, numbers: rules::speech::law_numbers(set).into() }
    }

    fn args<'a>(&self, args: &'a [(&'static str, String)]) -> Vec<(&'a str, Arg<'a>)> {
        let mut all: Vec<(&str, Arg<'_>)> = self.numbers.iter().map(|(k, n)| (*k, Arg::from(*n))).collect();
        all.extend(args.iter().map(|(k, v)| (*k, Arg::from(v.as_str()))));
        all
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        say(self.lang, key, &self.args(&[]))
    }

    /// The message `key` with arguments.
    pub fn ta(&self, key: &str, args: &[(&'static str, String)]) -> String {
        say(self.lang, key, &self.args(args))
    }

    /// The message `key` with numbers, which pick the plural form ("4 года", "6 баллов").
    pub fn tn(&self, key: &str, numbers: &[(&'static str, u32)]) -> String {
        let mut all = self.args(&[]);
        all.extend(numbers.iter().map(|(k, n)| (*k, Arg::from(*n))));
        say(self.lang, key, &all)
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }
}

/// The language chosen for a request.
pub fn negotiate(query: Option<&str>, cookie: Option<&str>, accept: Option<&str>) -> Lang {
    if let Some(l) = query.and_then(Lang::from_tag) {
        return l;
    }
    if let Some(l) = cookie.and_then(Lang::from_tag) {
        return l;
    }
    if let Some(accept) = accept {
        let mut prefs: Vec<(f32, Lang)> = accept
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let lang = Lang::from_tag(it.next()?.trim())?;
                let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse().ok()).unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        if let Some((_, l)) = prefs.first() {
            return *l;
        }
    }
    Lang::Kk
}

/// The language of a request, by [`negotiate`].
pub(crate) fn lang_of(headers: &HeaderMap, uri: &Uri) -> Lang {
    let query = uri.query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")));
    let cookie = headers
        .get(COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.split(';').find_map(|c| c.trim().strip_prefix("lang=")));
    let accept = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    negotiate(query, cookie, accept)
}

impl<S> FromRequestParts<S> for Tr
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Tr, Self::Rejection> {
        let lang = lang_of(&parts.headers, &parts.uri);
        let app = AppState::from_ref(state);
        Ok(Tr::under(lang, app.store.reference().law.set_on(app.today())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_order() {
        assert_eq!(negotiate(Some("ru"), Some("en"), Some("kk")), Lang::Ru);
        assert_eq!(negotiate(None, Some("en"), Some("kk")), Lang::En);
        assert_eq!(negotiate(None, None, Some("de-DE, ru;q=0.8, en;q=0.9")), Lang::En);
        assert_eq!(negotiate(None, None, Some("fr")), Lang::Kk);
        assert_eq!(negotiate(Some("xx"), None, None), Lang::Kk);
    }

    #[test]
    fn every_key_exists_in_every_language() {
        let keys = |lang: &str| -> Vec<String> {
            let path =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales").join(lang).join("main.ftl");
            let mut k: Vec<String> = std::fs::read_to_string(path)
                .expect("locale file")
                .lines()
                .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
                .filter(|k| !k.starts_with('#') && !k.is_empty())
                .collect();
            k.sort();
            k
        };
        let en = keys("en");
        assert!(en.len() > 50);
        assert_eq!(keys("ru"), en);
        assert_eq!(keys("kk"), en);
        for lang in Lang::ALL {
            let t = Tr::new(lang);
            for key in &en {
                assert!(!t.t(key).is_empty(), "{key} in {lang:?}");
            }
        }
        assert!(Tr::new(Lang::Kk).t("nav-verify").contains("Анықтама"));
    }

    /// What the pages say in Kazakh and Russian has no English in it. What is typed or read
    /// literally in every language passes: the NCALayer program and the NCA's address
    /// (pki.gov.kz), file formats, and the commands, headers and media types an administrator
    /// or a programmer types as they are.
    #[test]
    fn kazakh_and_russian_pages_have_no_english() {
        const NAMES: &[&str] = &[
            "NCALayer",
            "pki",
            "gov",
            "kz",
            "PDF",
            "JSON",
            "PNG",
            "JPEG",
            "TOML",
            "API",
            "qualcert",
            "rules",
            "calendar",
            "import",
            "FILE",
            "openssl",
            "cms",
            "POST",
            "api",
            "sessions",
            "Authorization",
            "Bearer",
            "application",
            "json",
            "ETag",
            // The egov.kz phone apps' names, as their makers write them in every language.
            "eGov",
            "mobile",
            "Business",
        ];
        for lang in [Lang::Kk, Lang::Ru] {
            let t = Tr::new(lang);
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales/en/main.ftl");
            let text = std::fs::read_to_string(path).expect("locale file");
            let mut found = Vec::new();
            for key in text.lines().filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim())) {
                let said = t.t(key);
                let english: Vec<String> =
                    rules::text::latin_words(&said).into_iter().filter(|w| !NAMES.contains(&w.as_str())).collect();
                if !english.is_empty() {
                    found.push(format!("{lang:?} {key}: {english:?}"));
                }
            }
            assert!(found.is_empty(), "{}", found.join("\n"));
        }
    }
}
