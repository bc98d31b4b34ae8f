//! Reports: how well each akimat keeps the statutory terms, and what passes through it.
//!
//! The writer keeps them pre-aggregated (`report_cells`), in the transaction of the events
//! they count, so a report over a million cases reads a few thousand rows and never the
//! event log. Each fact is counted four times: under its day, the part of its month (days
//! 1-8, 9-16, 17-24, 25 on), its month and its year, so a period reads whole years, whole
//! months, whole parts, then at most a week of days at either end. What counts as on time is
//! the rules' (`DueDate::kept_on`: the stage ended on or before its due day); the working
//! days a stage took are counted by the calendar from the stage's first day.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use rules::case::{Case, EventKind, Outcome, State};
use rules::deadline::{Allowance, DueDate, Risk};
use serde::Serialize;
use sqlx::Row;

use crate::tags::tag_of;
use crate::{Store, StoreError};

/// One counted fact of a case, before it is put under a day and a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fact {
    pub(crate) measure: &'static str,
    pub(crate) label: String,
    pub(crate) working_days: i64,
    pub(crate) late: bool,
}

/// A cell of `report_cells`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CellKey {
    pub(crate) grain: &'static str,
    pub(crate) period: String,
    pub(crate) akimat: String,
    pub(crate) service: String,
    pub(crate) measure: &'static str,
    pub(crate) label: String,
    pub(crate) working_days: i64,
    pub(crate) late: i64,
}

/// Where an open case stands for the count of cases at risk: its akimat and its binding
/// stage's first day, due day and allowance; `None` once it is finished or has no stage.
pub(crate) type OpenKey = (String, String, String, i64);

pub(crate) fn open_key(case: &Case) -> Option<OpenKey> {
    if case.state.is_terminal() {
        return None;
    }
    let due = case.binding_due()?;
    Some((case.application.akimat.to_string(), due.from.to_string(), due.on.to_string(), i64::from(due.working_days)))
}

/// The cells a fact of `case` on `day` adds to: its day and its month.
pub(crate) fn keys(case: &Case, day: Date, fact: &Fact) -> [CellKey; 4] {
    let key = |grain: &'static str, period: String| CellKey {
        grain,
        period,
        akimat: case.application.akimat.to_string(),
        service: tag_of(&case.application.service.kind(), ""),
        measure: fact.measure,
        label: fact.label.clone(),
        working_days: fact.working_days,
        late: i64::from(fact.late),
    };
    [
        key("d", day.to_string()),
        key("p", part_of(day)),
        key("m", day.strftime("%Y-%m").to_string()),
        key("y", day.year().to_string()),
    ]
}

/// The part of its month a day is in: days 1-8, 9-16, 17-24 and 25 to the end are parts 1 to
/// 4 (`YYYY-MM-P`). Parts nest in months, so a period's partial months read mostly parts.
fn part_of(day: Date) -> String {
    format!("{}-{}", day.strftime("%Y-%m"), part_number(day.day()))
}

fn part_number(day: i8) -> i8 {
    ((day - 1) / 8).min(3) + 1
}

/// The first and last day of part `p` of `day`'s month.
fn part_bounds(day: Date, p: i8) -> (Date, Date) {
    let first = day.first_of_month();
    let start = first.checked_add(jiff::Span::new().days(i64::from((p - 1) * 8))).unwrap_or(first);
    let end = if p == 4 {
        day.last_of_month()
    } else {
        first.checked_add(jiff::Span::new().days(i64::from(p * 8 - 1))).unwrap_or(first)
    };
    (start, end)
}

/// A range of days as parts of months where whole parts fit, and single days for the rest.
fn day_units(from: Date, to: Date) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let end = start.last_of_month().min(to);
        // Whole parts within start..=end, and the days before and after them.
        let whole: Vec<i8> = (1..=4)
            .filter(|p| {
                let (a, b) = part_bounds(start, *p);
                start <= a && b <= end
            })
            .collect();
        match (whole.first(), whole.last()) {
            (Some(&first), Some(&last)) => {
                let (a, _) = part_bounds(start, first);
                let (_, b) = part_bounds(start, last);
                if start < a {
                    out.push(("d", start.to_string(), a.yesterday().unwrap_or(a).to_string()));
                }
                out.push(("p", part_of(a), part_of(b)));
                if b < end {
                    out.push(("d", b.tomorrow().unwrap_or(b).to_string(), end.to_string()));
                }
            }
            _ => out.push(("d", start.to_string(), end.to_string())),
        }
        match end.tomorrow() {
            Ok(next) => start = next,
            Err(_) => break,
        }
    }
    out
}

/// The filing of `case`, counted by profession ("" for the services that name a
/// certificate instead).
pub(crate) fn filed(case: &Case) -> Fact {
    Fact {
        measure: "filed",
        label: case.application.profession.clone().unwrap_or_default(),
        working_days: 0,
        late: false,
    }
}

/// What one event adds, given the state and running stage the case had before it: the stage
/// that ended (with the working days it took and whether it was late), and at the end of the
/// service its outcome, the whole service's term and a refusal's grounds. A stage whose
/// days the calendar cannot count (no data for its year) is left out rather than guessed.
pub(crate) fn facts(
    calendar: &rules::Calendar,
    before: State,
    stage: Option<&DueDate>,
    case: &Case,
    kind: &EventKind,
    day: Date,
) -> Vec<Fact> {
    let mut out = Vec::new();
    let mut kept = |label: String, due: &DueDate| {
        if let Ok(k) = due.kept_on(calendar, day) {
            out.push(Fact { measure: "stage", label, working_days: i64::from(k.working_days), late: k.late });
        }
    };
    if case.state != before
        && let Some(due) = stage
    {
        kept(tag_of(&before, ""), due);
    }
    if case.state.is_terminal() && !before.is_terminal() {
        if let Some(due) = &case.service_due {
            kept("service".to_owned(), due);
        }
        let outcome = match (kind, &case.outcome) {
            (EventKind::NotAccepted { .. }, _) => "not-accepted",
            (EventKind::Refused { .. }, _) => "refused",
            (EventKind::Closed { .. }, _) => "closed",
            (_, Some(Outcome::Issued { .. })) => "issued",
            (_, Some(Outcome::Extended { .. })) => "extended",
            (_, Some(Outcome::Reissued { .. })) => "reissued",
            (_, Some(Outcome::Duplicated { .. })) => "duplicated",
            (_, None) => "completed",
        };
        out.push(Fact { measure: "outcome", label: outcome.to_owned(), working_days: 0, late: false });
        for g in &case.grounds {
            out.push(Fact { measure: "ground", label: tag_of(g, ""), working_days: 0, late: false });
        }
    }
    out
}

/// A counted cell summed over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The akimat.
    pub akimat: String,
    /// The service (`issue`, `extend`, `reissue`, `duplicate`).
    pub service: String,
    /// `filed`, `outcome`, `ground` or `stage`.
    pub measure: String,
    /// The profession, outcome, ground or stage.
    pub label: String,
    /// Working days a stage took.
    pub working_days: i64,
    /// Ended after its due day.
    pub late: bool,
    /// How many.
    pub count: i64,
}

/// The period a report covers, split into the days and months `report_cells` keeps: whole
/// months read as months, the partial ones at either end as days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split {
    /// Whole months, first and last (`YYYY-MM`), if any.
    pub(crate) months: Option<(String, String)>,
    /// Day ranges.
    pub(crate) days: Vec<(Date, Date)>,
}

/// The ranges of `report_cells` a period reads, as (grain, first period, last period): whole
/// years, then whole months, then days.
pub(crate) fn ranges(from: Date, to: Date) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let first_year = if from.day_of_year() == 1 { from.year() } else { from.year() + 1 };
    let last_year = if to == to.last_of_year() { to.year() } else { to.year() - 1 };
    let mut parts = Vec::new();
    match (Date::new(first_year, 1, 1), Date::new(last_year, 12, 31)) {
        (Ok(start), Ok(end)) if first_year <= last_year => {
            out.push(("y", first_year.to_string(), last_year.to_string()));
            if from < start {
                parts.push((from, start.yesterday().unwrap_or(from)));
            }
            if end < to {
                parts.push((end.tomorrow().unwrap_or(to), to));
            }
        }
        _ => parts.push((from, to)),
    }
    for (a, b) in parts {
        let s = split(a, b);
        if let Some((m1, m2)) = s.months {
            out.push(("m", m1, m2));
        }
        for (x, y) in s.days {
            out.extend(day_units(x, y));
        }
    }
    out
}

pub(crate) fn split(from: Date, to: Date) -> Split {
    let first_full =
        if from.day() == 1 { from.first_of_month() } else { from.last_of_month().tomorrow().unwrap_or(from) };
    let last_full_end = if to == to.last_of_month() { to } else { to.first_of_month().yesterday().unwrap_or(to) };
    if first_full > last_full_end {
        return Split { months: None, days: vec![(from, to)] };
    }
    let mut days = Vec::new();
    if from < first_full {
        days.push((from, first_full.yesterday().unwrap_or(from)));
    }
    if last_full_end < to {
        days.push((last_full_end.tomorrow().unwrap_or(to), to));
    }
    Split {
        months: Some((first_full.strftime("%Y-%m").to_string(), last_full_end.strftime("%Y-%m").to_string())),
        days,
    }
}

/// Open cases by how far their running stage is into its allowance, in one akimat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AtRisk {
    /// The akimat.
    pub akimat: String,
    /// Open cases with a running stage.
    pub open: i64,
    /// At least half the working days used.
    pub half: i64,
    /// At least 80%.
    pub most: i64,
    /// Past the due day.
    pub breached: i64,
}

/// How a group of ended stages kept their terms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Timeliness {
    /// What the group is (a stage, a service, an akimat).
    pub key: String,
    /// How many ended in the period.
    pub ended: i64,
    /// How many on or before their due day.
    pub on_time: i64,
    /// Working days taken: the median (nearest rank).
    pub median_days: Option<i64>,
    /// And the 90th percentile.
    pub p90_days: Option<i64>,
}

impl Timeliness {
    /// The on-time share in percent, to one decimal; `None` when nothing ended.
    pub fn percent(&self) -> Option<f64> {
        (self.ended > 0).then(|| (self.on_time as f64 * 1000.0 / self.ended as f64).round() / 10.0)
    }

    fn from_histogram(key: String, histogram: &BTreeMap<i64, (i64, i64)>) -> Timeliness {
        let ended: i64 = histogram.values().map(|(n, _)| n).sum();
        let late: i64 = histogram.values().map(|(_, l)| l).sum();
        let rank = |p: i64| -> Option<i64> {
            if ended == 0 {
                return None;
            }
            let target = ((ended * p + 99) / 100).max(1);
            let mut seen = 0;
            histogram.iter().find_map(|(days, (n, _))| {
                seen += n;
                (seen >= target).then_some(*days)
            })
        };
        Timeliness { key, ended, on_time: ended - late, median_days: rank(50), p90_days: rank(90) }
    }
}

/// A count under a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The name (an akimat, profession, service, outcome or ground, as stored).
    pub key: String,
    /// How many.
    pub count: i64,
}

/// The figures of a period, for one akimat or the whole country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The first day.
    pub from: Date,
    /// The last day.
    pub to: Date,
    /// The akimat, or `None` for the country.
    pub akimat: Option<String>,
    /// On time per stage (the state the stage ran in), stages that ended in the period.
    pub stages: Vec<Timeliness>,
    /// The whole service's term per service, services that ended in the period.
    pub services: Vec<Timeliness>,
    /// The whole service's term per akimat.
    pub akimats: Vec<Timeliness>,
    /// The whole service's term over everything.
    pub overall: Timeliness,
    /// Applications filed, per akimat.
    pub filed_by_akimat: Vec<Count>,
    /// Applications filed, per profession (issues).
    pub filed_by_profession: Vec<Count>,
    /// Applications filed, per service.
    pub filed_by_service: Vec<Count>,
    /// Cases ended, per outcome.
    pub outcomes: Vec<Count>,
    /// Refusals per ground (a refusal on two grounds counts under both).
    pub grounds: Vec<Count>,
    /// Open cases now, per akimat, by risk.
    pub at_risk: Vec<AtRisk>,
}

/// The order the stages run in, for the report's rows.
const STAGE_ORDER: [&str; 5] = ["submitted", "registered", "with-commission", "decided", "service"];

impl Report {
    /// Sums `cells` (one period, one akimat or all) into the report's figures.
    pub fn build(from: Date, to: Date, akimat: Option<String>, cells: &[Cell], at_risk: Vec<AtRisk>) -> Report {
        type Histogram = BTreeMap<i64, (i64, i64)>;
        let mut stages: HashMap<&str, Histogram> = HashMap::new();
        let mut services: BTreeMap<&str, Histogram> = BTreeMap::new();
        let mut akimats: BTreeMap<&str, Histogram> = BTreeMap::new();
        let mut overall = Histogram::new();
        let mut counts: HashMap<(&str, &str), BTreeMap<&str, i64>> = HashMap::new();
        let add = |h: &mut Histogram, c: &Cell| {
            let e = h.entry(c.working_days).or_default();
            e.0 += c.count;
            e.1 += if c.late { c.count } else { 0 };
        };
        for c in cells {
            match c.measure.as_str() {
                "stage" => {
                    add(stages.entry(c.label.as_str()).or_default(), c);
                    if c.label == "service" {
                        add(services.entry(c.service.as_str()).or_default(), c);
                        add(akimats.entry(c.akimat.as_str()).or_default(), c);
                        add(&mut overall, c);
                    }
                }
                "filed" => {
                    *counts.entry(("filed", "akimat")).or_default().entry(c.akimat.as_str()).or_default() += c.count;
                    *counts.entry(("filed", "profession")).or_default().entry(c.label.as_str()).or_default() += c.count;
                    *counts.entry(("filed", "service")).or_default().entry(c.service.as_str()).or_default() += c.count;
                }
                "outcome" | "ground" => {
                    *counts.entry((c.measure.as_str(), "")).or_default().entry(c.label.as_str()).or_default() +=
                        c.count;
                }
                _ => {}
            }
        }
        let list = |key: (&str, &str)| -> Vec<Count> {
            let mut v: Vec<Count> = counts
                .get(&key)
                .map(|m| m.iter().map(|(k, n)| Count { key: (*k).to_owned(), count: *n }).collect())
                .unwrap_or_default();
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
            v
        };
        let timeliness = |m: &BTreeMap<&str, Histogram>| -> Vec<Timeliness> {
            m.iter().map(|(k, h)| Timeliness::from_histogram((*k).to_owned(), h)).collect()
        };
        Report {
            from,
            to,
            akimat,
            stages: STAGE_ORDER
                .iter()
                .filter_map(|s| stages.get(s).map(|h| Timeliness::from_histogram((*s).to_owned(), h)))
                .collect(),
            services: timeliness(&services),
            akimats: timeliness(&akimats),
            overall: Timeliness::from_histogram("service".to_owned(), &overall),
            filed_by_akimat: list(("filed", "akimat")),
            filed_by_profession: list(("filed", "profession")),
            filed_by_service: list(("filed", "service")),
            outcomes: list(("outcome", "")),
            grounds: list(("ground", "")),
            at_risk,
        }
    }

    /// Applications filed in the period.
    pub fn filed(&self) -> i64 {
        self.filed_by_service.iter().map(|c| c.count).sum()
    }
}

impl Store {
    /// The report's cells over `from..=to`, for one akimat or all, summed by everything but
    /// the day.
    pub async fn report_cells(&self, from: Date, to: Date, akimat: Option<&str>) -> Result<Vec<Cell>, StoreError> {
        let mut binds: Vec<String> = Vec::new();
        let mut bind = |v: String| {
            binds.push(v);
            format!("${}", binds.len())
        };
        // One index range per part of the period, added up: each branch is a range scan of
        // the key on either backend, where one OR of ranges may be planned as a full scan.
        let mut branches = Vec::new();
        for (grain, a, b) in ranges(from, to) {
            let mut branch = format!(
                "SELECT akimat, service, measure, label, working_days, late, count FROM report_cells \
                 WHERE grain = '{grain}' AND period BETWEEN {} AND {}",
                bind(a),
                bind(b)
            );
            if let Some(a) = akimat {
                branch.push_str(&format!(" AND akimat = {}", bind(a.to_owned())));
            }
            branches.push(branch);
        }
        let sql = format!(
            "SELECT akimat, service, measure, label, working_days, late, CAST(SUM(count) AS BIGINT) FROM ({}) parts \
             GROUP BY akimat, service, measure, label, working_days, late",
            branches.join(" UNION ALL ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(Cell {
                    akimat: r.try_get(0)?,
                    service: r.try_get(1)?,
                    measure: r.try_get(2)?,
                    label: r.try_get(3)?,
                    working_days: r.try_get(4)?,
                    late: r.try_get::<i64, _>(5)? != 0,
                    count: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Open cases with a running stage, per akimat, by risk on each akimat's day at `now`,
    /// from the writer's count of open cases by stage allowance (`open_stages`): a few rows
    /// however many cases there are.
    pub async fn at_risk(&self, akimat: Option<&str>, now: Timestamp) -> Result<Vec<AtRisk>, StoreError> {
        let mut sql = "SELECT akimat, due_from, due_on, due_days, count FROM open_stages".to_owned();
        if akimat.is_some() {
            sql.push_str(" WHERE akimat = $1");
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(a) = akimat {
            q = q.bind(a.to_owned());
        }
        let rows = q.fetch_all(self.pool()).await?;
        let calendar = &self.reference().calendar;
        let mut by: BTreeMap<String, AtRisk> = BTreeMap::new();
        for r in &rows {
            let akimat: String = r.try_get(0)?;
            let today = self.today(&akimat, now)?;
            let line = by.entry(akimat.clone()).or_insert_with(|| AtRisk { akimat, ..AtRisk::default() });
            let n: i64 = r.try_get(4)?;
            line.open += n;
            let (from, on, days): (Option<String>, Option<String>, Option<i64>) =
                (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
            let (Some(from), Some(on), Some(days)) = (from, on, days) else { continue };
            let (Ok(from), Ok(on)) = (from.parse::<Date>(), on.parse::<Date>()) else { continue };
            let allowance = Allowance { from, on, working_days: u32::try_from(days).unwrap_or(0) };
            match allowance.risk_on(calendar, today) {
                Ok(Risk::Half) => line.half += n,
                Ok(Risk::Most) => line.most += n,
                Ok(Risk::Breached) => line.breached += n,
                Ok(Risk::OnTrack) | Err(_) => {}
            }
        }
        Ok(by.into_values().collect())
    }

    /// The report of `from..=to`, for one akimat or the country; open cases judged at `now`.
    pub async fn report_of(
        &self,
        from: Date,
        to: Date,
        akimat: Option<&str>,
        now: Timestamp,
    ) -> Result<Report, StoreError> {
        let cells = self.report_cells(from, to, akimat).await?;
        let at_risk = self.at_risk(akimat, now).await?;
        Ok(Report::build(from, to, akimat.map(str::to_owned), &cells, at_risk))
    }
}

/// The default period of a report: the last 30 days to `today`.
pub fn default_period(today: Date) -> (Date, Date) {
    (today.checked_sub(29.days()).unwrap_or(today), today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_period_reads_whole_months_and_the_days_at_either_end() {
        let s = split(date(2026, 1, 15), date(2026, 4, 10));
        assert_eq!(s.months, Some(("2026-02".into(), "2026-03".into())));
        assert_eq!(s.days, vec![(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 10))]);
        let s = split(date(2026, 2, 1), date(2026, 2, 28));
        assert_eq!((s.months, s.days), (Some(("2026-02".into(), "2026-02".into())), vec![]));
        let s = split(date(2026, 2, 3), date(2026, 2, 20));
        assert_eq!((s.months, s.days), (None, vec![(date(2026, 2, 3), date(2026, 2, 20))]));
        let s = split(date(2026, 1, 31), date(2026, 2, 1));
        assert_eq!((s.months, s.days), (None, vec![(date(2026, 1, 31), date(2026, 2, 1))]));
    }

    #[test]
    fn a_long_period_reads_whole_years_first() {
        let r = ranges(date(2024, 11, 20), date(2026, 2, 10));
        let r: Vec<(&str, &str, &str)> = r.iter().map(|(g, a, b)| (*g, a.as_str(), b.as_str())).collect();
        assert_eq!(
            r,
            vec![
                ("y", "2025", "2025"),
                ("m", "2024-12", "2024-12"),
                ("d", "2024-11-20", "2024-11-24"),
                ("p", "2024-11-4", "2024-11-4"),
                ("m", "2026-01", "2026-01"),
                ("p", "2026-02-1", "2026-02-1"),
                ("d", "2026-02-09", "2026-02-10"),
            ]
        );
        let r = ranges(date(2026, 3, 5), date(2026, 3, 9));
        assert_eq!(r, vec![("d", "2026-03-05".to_owned(), "2026-03-09".to_owned())]);
        // The last 30 days across a month's end: parts where they fit.
        let r = ranges(date(2026, 11, 3), date(2026, 12, 2));
        let r: Vec<(&str, &str, &str)> = r.iter().map(|(g, a, b)| (*g, a.as_str(), b.as_str())).collect();
        assert_eq!(
            r,
            vec![("d", "2026-11-03", "2026-11-08"), ("p", "2026-11-2", "2026-11-4"), ("d", "2026-12-01", "2026-12-02"),]
        );
    }

    #[test]
    fn median_and_p90_are_nearest_ranks_of_the_working_days() {
        let cell = |wd: i64, late: bool, count: i64| Cell {
            akimat: "astana".into(),
            service: "issue".into(),
            measure: "stage".into(),
            label: "service".into(),
            working_days: wd,
            late,
            count,
        };
        // 10 cases: 4 took 2 days, 4 took 4, one 5, one 7 (late).
        let cells = [cell(2, false, 4), cell(4, false, 4), cell(5, false, 1), cell(7, true, 1)];
        let r = Report::build(date(2026, 1, 1), date(2026, 1, 31), None, &cells, vec![]);
        assert_eq!(r.overall.ended, 10);
        assert_eq!(r.overall.on_time, 9);
        assert_eq!(r.overall.percent(), Some(90.0));
        assert_eq!((r.overall.median_days, r.overall.p90_days), (Some(4), Some(5)));
        assert_eq!(r.akimats[0].key, "astana");
        let none = Report::build(date(2026, 1, 1), date(2026, 1, 31), None, &[], vec![]);
        assert_eq!((none.overall.percent(), none.overall.median_days), (None, None));
    }
}
