//! Who looked at my file (issue 36): the reads of a person's records by the state's staff, as
//! the person is shown them, on `/account/access` and through `GET /api/v1/me/access`. Staff
//! are named by their role and akimat, not by name: the person learns which body read what
//! and why, and a complaint (Rules §24) can name the body; the names stay with the audit.

use crate::edge::i18n::Tr;

/// How many reads are shown, newest first.
pub(crate) const SHOWN: i64 = 500;

/// One read, in the reader's language.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct AccessLine {
    /// When, on Kazakhstan's clock (ДД.ММ.ГГГГ ЧЧ:ММ in Kazakh and Russian).
    pub(crate) when: String,
    /// Who: the reader's role and akimat.
    pub(crate) who: String,
    /// What: the record read.
    pub(crate) what: String,
    /// Its page.
    pub(crate) href: String,
    /// Why: the purpose of the page or endpoint.
    pub(crate) why: String,
    /// The page or endpoint, as its route pattern.
    pub(crate) route: String,
}

/// `read` as the person reads it.
pub(crate) fn line(t: &Tr, law: &rules::law::Law, read: &store::access::Read) -> AccessLine {
    let zone = jiff::tz::TimeZone::get("Asia/Almaty").unwrap_or(jiff::tz::TimeZone::UTC);
    let at = zone.to_datetime(jiff::Timestamp::from_millisecond(read.at_ms).unwrap_or_default());
    let when = format!("{} {}", rules::text::date_for(t.lang, at.date()), at.strftime("%H:%M"));
    let role = t.t(&format!("access-role-{}", read.reader_role));
    let who = match &read.reader_akimat {
        Some(a) => format!("{role}, {}", law.akimat_body(a, t.lang)),
        None => role,
    };
    let (kind, number) = read.record.split_once('/').unwrap_or(("case", read.record.as_str()));
    let what = t.ta(&format!("access-record-{kind}"), &[("number", number.to_owned())]);
    let href = match kind {
        "certificate" => format!("/certificates/{number}"),
        "complaint" => format!("/complaints/{number}"),
        _ => format!("/cases/{number}"),
    };
    AccessLine { when, who, what, href, why: t.t(&format!("access-why-{}", read.purpose)), route: read.route.clone() }
}
