//! Reference data for the commands: the data directory's calendar and law (see
//! `store::imports`), the akimats, and an akimat's working hours.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rules::akimat::Akimat;
use rules::{Calendar, Law, WorkingHours};

/// The calendar in force: embedded data plus imports.
pub(crate) fn calendar(data_dir: &Path) -> Result<Calendar> {
    Ok(store::imports::calendar(data_dir)?)
}

/// The law's data: embedded, plus imports.
pub(crate) fn law(data_dir: &Path) -> Result<Law> {
    Ok(store::imports::law(data_dir)?)
}

/// The akimats.
pub(crate) fn akimats() -> Result<Vec<Akimat>> {
    rules::akimat::embedded().map_err(|e| anyhow::anyhow!("embedded akimats: {e}"))
}

/// Working hours of an akimat by code, or the standard hours in Asia/Almaty.
pub(crate) fn working_hours(akimat: Option<&str>) -> Result<(Option<Akimat>, WorkingHours)> {
    let (found, zone) = match akimat {
        None => (None, "Asia/Almaty".to_owned()),
        Some(code) => {
            let all = akimats()?;
            let Some(a) = all.iter().find(|a| a.code == code).cloned() else {
                let codes: Vec<&str> = all.iter().map(|a| a.code.as_str()).collect();
                bail!("no akimat with code {code:?}; known codes: {}", codes.join(", "));
            };
            let zone = a.zone.clone();
            (Some(a), zone)
        }
    };
    let tz = jiff::tz::TimeZone::get(&zone).with_context(|| format!("time zone {zone}"))?;
    let book = rules::RuleBook::embedded()?;
    let today = tz.to_datetime(jiff::Timestamp::now()).date();
    let set = book.in_force_or_earliest(today);
    Ok((found, WorkingHours::of(&set.working_hours, tz)))
}
