//! Data versioned by effective date: rule sets, criteria tables, lists of professions. One
//! implementation of "sorted, no two on a day, same id replaces, the latest in force".

use jiff::civil::Date;

/// A version of some law data.
pub(crate) trait Dated: Clone {
    /// Its stable id, recorded with every case judged by it.
    fn id(&self) -> &str;
    /// Its first day in force.
    fn effective_from(&self) -> Date;
}

/// Sorts versions by date and refuses two with one id or one date.
pub(crate) fn sorted<T: Dated>(mut items: Vec<T>, what: &str) -> Result<Vec<T>, String> {
    if items.is_empty() {
        return Err(format!("no {what}"));
    }
    items.sort_by_key(Dated::effective_from);
    for pair in items.windows(2) {
        if pair[0].effective_from() == pair[1].effective_from() {
            return Err(format!(
                "{what}: {} and {} both take effect on {}",
                pair[0].id(),
                pair[1].id(),
                pair[0].effective_from()
            ));
        }
    }
    let mut ids = std::collections::HashSet::new();
    if let Some(dup) = items.iter().find(|i| !ids.insert(i.id().to_owned())) {
        return Err(format!("{what}: id {} appears twice", dup.id()));
    }
    Ok(items)
}

/// `old` with `new` added; a version of `new` replaces the one of `old` with its id.
pub(crate) fn merged<T: Dated>(old: &[T], new: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = old.iter().filter(|o| !new.iter().any(|n| n.id() == o.id())).cloned().collect();
    out.extend(new);
    out
}

/// The latest version in force on `date`, from versions sorted by date.
pub(crate) fn in_force<T: Dated>(items: &[T], date: Date) -> Option<&T> {
    items.iter().rev().find(|i| i.effective_from() <= date)
}
