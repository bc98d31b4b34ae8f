//! The period and place a report is asked for, read the same for the reports page and the API.

use jiff::civil::Date;
use serde::Deserialize;

use crate::edge::AppState;
use crate::edge::forms::parse_date;
use crate::edge::i18n::Tr;

/// The period and place a report is asked for, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ReportQuery {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) akimat: String,
}

/// The longest period one report covers.
const MAX_DAYS: i32 = 3 * 366;

/// The period and akimat of `q`, or the message that says what is wrong. No dates mean the
/// last 30 days; an unknown akimat is refused rather than shown as empty.
pub(crate) fn resolve(state: &AppState, q: &ReportQuery, t: &Tr) -> Result<(Date, Date, Option<String>), String> {
    let today = state.today();
    let (default_from, default_to) = store::reports::default_period(today);
    let day = |typed: &str, default: Date| {
        if typed.trim().is_empty() { Ok(default) } else { parse_date(typed).ok_or_else(|| t.t("error-date")) }
    };
    let (from, to) = (day(&q.from, default_from)?, day(&q.to, default_to)?);
    if from > to || to.since(from).map_or(true, |s| s.get_days() > MAX_DAYS) {
        return Err(t.t("report-error-period"));
    }
    let akimat = Some(q.akimat.trim().to_owned()).filter(|a| !a.is_empty());
    if let Some(a) = &akimat
        && state.store.reference().law.akimat(a).is_none()
    {
        return Err(t.t("report-error-akimat"));
    }
    Ok((from, to, akimat))
}
