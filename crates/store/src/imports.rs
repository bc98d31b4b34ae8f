//! Reference data from the data directory: the embedded defaults (calendar years, holiday
//! law, rule sets, criteria, the list of professions), overridden by what an administrator
//! imported into `<data>/calendar/` and `<data>/rules/`. An import is checked against
//! everything else before a byte is written, and written durably (temporary file, fsync,
//! rename, fsync of the directory). A running service keeps the data it started with; an
//! import takes effect when it restarts.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rules::assessment::CriteriaBook;
use rules::calendar::{CalendarFile, HolidayLaw, YearData, data};
use rules::catalogue::Catalogue;
use rules::{Calendar, Law, RuleBook};

use crate::{Reference, StoreError};

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Config(e.to_string())
}

/// Where imported calendar files live.
pub fn calendar_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("calendar")
}

/// Where imported rule sets, criteria and lists live.
pub fn rules_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("rules")
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| bad(format!("reading {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

fn read(path: &Path) -> Result<String, StoreError> {
    fs::read_to_string(path).map_err(|e| bad(format!("reading {}: {e}", path.display())))
}

/// The holiday law and year files: embedded, then imported ones (which override).
pub fn calendar_sources(data_dir: &Path) -> Result<(HolidayLaw, Vec<YearData>), StoreError> {
    let mut law = HolidayLaw::parse(data::EMBEDDED_LAW).map_err(bad)?;
    let mut years: Vec<YearData> =
        data::EMBEDDED_YEARS.iter().map(|t| YearData::parse(t)).collect::<Result<_, _>>().map_err(bad)?;
    for path in toml_files(&calendar_dir(data_dir))? {
        match CalendarFile::parse(&read(&path)?).map_err(|e| bad(format!("in {}: {e}", path.display())))? {
            CalendarFile::Law(l) => law = l,
            CalendarFile::Year(y) => years.push(y),
        }
    }
    Ok((law, years))
}

/// The working-day calendar: embedded data plus imports.
pub fn calendar(data_dir: &Path) -> Result<Calendar, StoreError> {
    let (law, years) = calendar_sources(data_dir)?;
    Calendar::build(law, years).map_err(|e| bad(format!("building the working-day calendar: {e}")))
}

/// A data file's kind, from its `kind` key.
pub fn data_kind(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        kind: Option<String>,
    }
    toml::from_str::<Head>(text).ok().and_then(|h| h.kind)
}

/// Merges one law data file into `law`, by its kind.
pub fn merge_law_file(law: &mut Law, text: &str) -> Result<(), StoreError> {
    match data_kind(text).as_deref() {
        Some("rule-sets") => law.rules = law.rules.merged(RuleBook::parse(text).map_err(bad)?).map_err(bad)?,
        Some("criteria") => law.criteria = law.criteria.merged(CriteriaBook::parse(text).map_err(bad)?).map_err(bad)?,
        Some("catalogue") => law.catalogue = law.catalogue.merged(Catalogue::parse(text).map_err(bad)?).map_err(bad)?,
        other => {
            return Err(bad(format!(
                "unknown kind {:?}: expected \"rule-sets\", \"criteria\" or \"catalogue\"",
                other.unwrap_or("(missing)")
            )));
        }
    }
    Ok(())
}

/// The law's data: embedded, plus imports (same id replaces).
pub fn law(data_dir: &Path) -> Result<Law, StoreError> {
    let mut law = Law::embedded().map_err(bad)?;
    for path in toml_files(&rules_dir(data_dir))? {
        merge_law_file(&mut law, &read(&path)?).map_err(|e| bad(format!("in {}: {e}", path.display())))?;
    }
    Ok(law)
}

/// Everything decisions are made against, from the data directory.
pub fn reference(data_dir: &Path) -> Result<Reference, StoreError> {
    Reference::standard(calendar(data_dir)?, law(data_dir)?)
}

/// Writes `bytes` to `path` durably: a temporary file, fsync, rename, fsync of the directory.
pub fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |e: std::io::Error| bad(format!("writing {}: {e}", path.display()));
    let dir = path.parent().ok_or_else(|| bad("a file path has a parent"))?;
    fs::create_dir_all(dir).map_err(io)?;
    let tmp = path.with_extension("toml.tmp");
    {
        let mut f = fs::File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    fs::rename(&tmp, path).map_err(io)?;
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
    Ok(())
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Where.
    pub path: PathBuf,
    /// For a calendar file: the years the calendar now covers.
    pub calendar_years: Option<Vec<i16>>,
}

/// Checks a data file of any kind (calendar year, holiday law, rule sets, criteria, list of
/// professions) against everything else and adds it to the data directory. `name` names the
/// file of a law import (`criteria-NAME.toml`).
pub fn import(data_dir: &Path, text: &str, name: &str) -> Result<Imported, StoreError> {
    let kind = data_kind(text);
    if matches!(kind.as_deref(), Some("year" | "holiday-law")) {
        let parsed = CalendarFile::parse(text).map_err(bad)?;
        let (mut holidays, mut years) = calendar_sources(data_dir)?;
        let target = match &parsed {
            CalendarFile::Law(l) => {
                holidays = l.clone();
                calendar_dir(data_dir).join("holidays.toml")
            }
            CalendarFile::Year(y) => {
                years.push(y.clone());
                calendar_dir(data_dir).join(format!("{}.toml", y.year))
            }
        };
        let cal =
            Calendar::build(holidays, years).map_err(|e| bad(format!("the file does not fit the calendar: {e}")))?;
        write_durably(&target, text.as_bytes())?;
        return Ok(Imported { path: target, calendar_years: Some(cal.years().collect()) });
    }
    let mut current = law(data_dir)?;
    merge_law_file(&mut current, text)?;
    let stem: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(60).collect();
    let stem = if stem.is_empty() { "import".to_owned() } else { stem };
    let target = rules_dir(data_dir).join(format!("{}-{stem}.toml", kind.unwrap_or_default()));
    write_durably(&target, text.as_bytes())?;
    Ok(Imported { path: target, calendar_years: None })
}
