//! Reference data: the embedded defaults, overridden by what an administrator imported into
//! the data directory.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rules::akimat::Akimat;
use rules::assessment::CriteriaBook;
use rules::calendar::{CalendarFile, HolidayLaw, YearData, data};
use rules::catalogue::Catalogue;
use rules::{Calendar, Law, RuleBook, WorkingHours};

/// Where imported calendar files live.
pub(crate) fn calendar_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("calendar")
}

/// Where imported rule sets live.
pub(crate) fn rules_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("rules")
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// The law and year files: embedded, then imported ones (which override).
pub(crate) fn calendar_sources(data_dir: &Path) -> Result<(HolidayLaw, Vec<YearData>)> {
    let mut law = HolidayLaw::parse(data::EMBEDDED_LAW).context("embedded holiday law")?;
    let mut years: Vec<YearData> = data::EMBEDDED_YEARS
        .iter()
        .map(|t| YearData::parse(t))
        .collect::<Result<_, _>>()
        .context("embedded year files")?;
    for path in toml_files(&calendar_dir(data_dir))? {
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        match CalendarFile::parse(&text).with_context(|| format!("in {}", path.display()))? {
            CalendarFile::Law(l) => law = l,
            CalendarFile::Year(y) => years.push(y),
        }
    }
    Ok((law, years))
}

/// The calendar in force: embedded data plus imports.
pub(crate) fn calendar(data_dir: &Path) -> Result<Calendar> {
    let (law, years) = calendar_sources(data_dir)?;
    Calendar::build(law, years).context("building the working-day calendar")
}

/// A law data file's kind, read from its `kind` key.
pub(crate) fn data_kind(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        kind: Option<String>,
    }
    toml::from_str::<Head>(text).ok().and_then(|h| h.kind)
}

/// Merges one law data file into `law`, by its kind.
pub(crate) fn merge_law_file(law: &mut Law, text: &str) -> Result<()> {
    match data_kind(text).as_deref() {
        Some("rule-sets") => law.rules = law.rules.merged(RuleBook::parse(text)?)?,
        Some("criteria") => {
            law.criteria = law
                .criteria
                .merged(CriteriaBook::parse(text).map_err(anyhow::Error::msg)?)
                .map_err(anyhow::Error::msg)?
        }
        Some("catalogue") => {
            law.catalogue =
                law.catalogue.merged(Catalogue::parse(text).map_err(anyhow::Error::msg)?).map_err(anyhow::Error::msg)?
        }
        other => bail!(
            "unknown kind {:?}: expected \"rule-sets\", \"criteria\" or \"catalogue\"",
            other.unwrap_or("(missing)")
        ),
    }
    Ok(())
}

/// The law's data: embedded, plus imports (same id replaces).
pub(crate) fn law(data_dir: &Path) -> Result<Law> {
    let mut law = Law::embedded().map_err(anyhow::Error::msg).context("embedded law data")?;
    for path in toml_files(&rules_dir(data_dir))? {
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        merge_law_file(&mut law, &text).with_context(|| format!("in {}", path.display()))?;
    }
    Ok(law)
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
            let Some(a) = all.into_iter().find(|a| a.code == code) else {
                let codes: Vec<String> = akimats()?.into_iter().map(|a| a.code).collect();
                bail!("no akimat with code {code:?}; known codes: {}", codes.join(", "));
            };
            let zone = a.zone.clone();
            (Some(a), zone)
        }
    };
    let tz = jiff::tz::TimeZone::get(&zone).with_context(|| format!("time zone {zone}"))?;
    Ok((found, WorkingHours::standard(tz)))
}

/// Writes `bytes` to `path` durably: a temporary file, fsync, rename, fsync of the directory.
pub(crate) fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().context("a file path has a parent")?;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = path.with_extension("toml.tmp");
    {
        let mut f = fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path).with_context(|| format!("renaming into {}", path.display()))?;
    fs::File::open(dir)?.sync_all()?;
    Ok(())
}
