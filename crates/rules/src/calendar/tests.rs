//! Table-driven tests of the calendar, each naming the rule it covers.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::hours::{ReceivedWhy, WorkingHours, received_on};

fn cal() -> Calendar {
    Calendar::embedded().expect("embedded calendar builds")
}

fn almaty() -> WorkingHours {
    WorkingHours::of(
        &crate::RuleBook::embedded().expect("rule sets").sets()[0].working_hours,
        TimeZone::get("Asia/Almaty").expect("tz database has Asia/Almaty"),
    )
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("RFC 3339")
}

/// R12.1: which days are days off, by law, by art. 85 moves, by religion, by transfer.
#[test]
fn r12_1_days_off_table() {
    let c = cal();
    let table: &[(Date, bool, &str)] = &[
        // 2024: Nauryz Sat 23 March moves to Mon 25; Capital Day Sat 6 July moves to Mon 8;
        // the Minister's transfer: Sat 4 May worked, Wed 8 May off; Kurban Ait Sun 16 June
        // (religious: not moved); Orthodox Christmas Sun 7 January (not moved).
        (date(2024, 3, 25), false, "Labour Code art. 85: Nauryz on Saturday"),
        (date(2024, 5, 4), true, "transfer: Saturday worked"),
        (date(2024, 5, 8), false, "transfer: Wednesday off"),
        (date(2024, 6, 17), true, "Kurban Ait on Sunday is not moved"),
        (date(2024, 1, 8), true, "7 January on Sunday is not moved"),
        (date(2024, 7, 8), false, "Capital Day on Saturday moves"),
        // 2025: Fri 3 January off, Sun 5 January worked (order No. 436); 8 March Sat -> Mon 10;
        // Nauryz Sat 22, Sun 23 -> Mon 24, Tue 25; Kurban Ait Fri 6 June; 6 July Sun -> Mon 7;
        // 30 August Sat -> Mon 1 September; 25 October Sat -> Mon 27.
        (date(2025, 1, 3), false, "order No. 436"),
        (date(2025, 1, 5), true, "order No. 436: Sunday worked"),
        (date(2025, 3, 10), false, "8 March on Saturday"),
        (date(2025, 3, 24), false, "Nauryz 22 on Saturday"),
        (date(2025, 3, 25), false, "Nauryz 23 on Sunday"),
        (date(2025, 3, 26), true, "after Nauryz"),
        (date(2025, 6, 6), false, "Kurban Ait"),
        (date(2025, 7, 7), false, "Capital Day on Sunday"),
        (date(2025, 9, 1), false, "Constitution Day on Saturday"),
        (date(2025, 10, 27), false, "Republic Day on Saturday"),
        (date(2025, 12, 1), true, "1 December is no longer a holiday"),
        (date(2025, 12, 17), true, "17 December is no longer a day off"),
        // 2026: Nauryz falls Sat 21, Sun 22, Mon 23: the weekend days move to Tue 24, Wed 25.
        (date(2026, 3, 23), false, "Nauryz on Monday"),
        (date(2026, 3, 24), false, "Nauryz 21 (Saturday) moved"),
        (date(2026, 3, 25), false, "Nauryz 22 (Sunday) moved"),
        (date(2026, 3, 26), true, "Thursday after Nauryz"),
        (date(2026, 3, 9), false, "8 March on Sunday"),
        (date(2026, 5, 11), false, "Victory Day on Saturday"),
        (date(2026, 5, 27), false, "Kurban Ait 2026"),
        (date(2026, 8, 31), false, "Constitution Day on Sunday"),
        (date(2026, 10, 26), false, "Republic Day on Sunday"),
        (date(2026, 12, 16), false, "Independence Day"),
        (date(2026, 1, 7), false, "Orthodox Christmas"),
        (date(2026, 1, 5), true, "no transfer in 2026"),
        // 2027: New Year Fri 1, Sat 2 -> Mon 4.
        (date(2027, 1, 4), false, "2 January on Saturday"),
        (date(2027, 1, 5), true, "Tuesday"),
    ];
    for &(d, working, why) in table {
        assert_eq!(c.is_working(d), Ok(working), "{d}: {why}");
    }
}

/// R12.1: working days per year on the five-day week.
#[test]
fn r12_1_working_days_per_year() {
    let c = cal();
    let total = |y: i16| (1..=12).map(|m| c.working_days_in_month(y, m).expect("data")).sum::<u32>();
    assert_eq!(total(2024), 249);
    assert_eq!(total(2025), 246);
    assert_eq!(total(2026), 246);
    assert_eq!(c.working_days_in_month(2026, 3), Ok(18)); // 22 weekdays less 9, 23, 24, 25 March
}

/// Labour Code art. 85: the reason of a moved day names the holiday and the weekend day.
#[test]
fn labour_code_art_85_moves_each_day_in_a_row() {
    let c = cal();
    let day = c.day(date(2026, 3, 25)).expect("data");
    match &day.reason {
        Some(Reason::MovedDayOff { holiday, from, .. }) => {
            assert_eq!(holiday, "nauryz-2");
            assert_eq!(*from, date(2026, 3, 22));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(day.reason.as_ref().map(Reason::basis), Some(cite::HOLIDAY_MOVE));
    let sat = c.day(date(2026, 3, 21)).expect("data");
    assert!(matches!(sat.reason, Some(Reason::Holiday { moved_to: Some(d), .. }) if d == date(2026, 3, 24)));
}

/// R12.2: "within N working days from day D" ends on the Nth working day after D.
#[test]
fn r12_2_due_dates_table() {
    let c = cal();
    let table: &[(Date, u32, Date)] = &[
        (date(2026, 3, 20), 2, date(2026, 3, 27)), // R4.1 across Nauryz 2026
        (date(2026, 3, 2), 5, date(2026, 3, 10)),  // Mon 2 + 5 skips Mon 9 (8 March moved)
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
        (date(2025, 1, 2), 1, date(2025, 1, 5)),    // Fri 3 off, Sun 5 worked
        (date(2024, 5, 3), 1, date(2024, 5, 4)),    // Saturday 4 May worked
        (date(2024, 5, 6), 1, date(2024, 5, 10)),   // 7, 8, 9 May off
        (date(2026, 12, 30), 5, date(2027, 1, 11)), // across the year end
        (date(2026, 3, 21), 1, date(2026, 3, 26)),  // from a day off
    ];
    for &(from, n, due) in table {
        assert_eq!(c.due_on(from, n), Ok(due), "{from} + {n}");
        assert_eq!(c.explain_due(from, n).map(|d| d.due_on), Ok(due));
    }
}

/// R12.2: the derivation lists every skipped day with its basis.
#[test]
fn r12_2_derivation_names_skipped_days() {
    let c = cal();
    let d = c.explain_due(date(2026, 3, 20), 2).expect("data");
    let skipped: Vec<(Date, String)> = d
        .steps
        .iter()
        .filter(|s| s.counted.is_none())
        .map(|s| (s.date, s.reason.as_ref().map(|r| r.basis().to_string()).unwrap_or_default()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (date(2026, 3, 21), "Law On holidays art. 2".into()),
            (date(2026, 3, 22), "Law On holidays art. 2".into()),
            (date(2026, 3, 23), "Law On holidays art. 2".into()),
            (date(2026, 3, 24), "Labour Code art. 85".into()),
            (date(2026, 3, 25), "Labour Code art. 85".into()),
        ]
    );
    assert_eq!(d.steps.last().and_then(|s| s.counted), Some(2));
    assert!(d.warnings.is_empty());
}

#[test]
fn a_year_without_data_is_an_explicit_error() {
    let c = cal();
    assert_eq!(c.due_on(date(2027, 12, 20), 10), Err(CalendarError::NoData { year: 2028 }));
    assert_eq!(c.is_working(date(2023, 12, 29)), Err(CalendarError::NoData { year: 2023 }));
    assert_eq!(c.due_on(date(2023, 12, 29), 1), Err(CalendarError::NoData { year: 2023 }));
    let msg = CalendarError::NoData { year: 2028 }.to_string();
    assert!(msg.contains("2028") && msg.contains("calendar import"), "{msg}");
}

#[test]
fn a_gap_between_loaded_years_is_an_error_not_a_skip() {
    let law = HolidayLaw::parse(data::EMBEDDED_LAW).expect("law");
    let y = |t: &str| YearData::parse(t).expect("year");
    let c = Calendar::build(law, vec![y(data::EMBEDDED_YEARS[0]), y(data::EMBEDDED_YEARS[2])]).expect("builds");
    assert_eq!(c.due_on(date(2024, 12, 30), 5), Err(CalendarError::NoData { year: 2025 }));
    assert_eq!(c.due_on(date(2026, 1, 5), 1), Ok(date(2026, 1, 6)));
}

#[test]
fn provisional_dates_warn() {
    let c = cal();
    assert!(c.is_provisional(2027));
    assert!(!c.is_provisional(2026));
    let d = c.explain_due(date(2027, 5, 13), 3).expect("data");
    assert!(
        d.warnings.iter().any(|w| matches!(w, Warning::ProvisionalDate { date: x, .. } if *x == date(2027, 5, 16)))
    );
}

#[test]
fn bad_year_files_say_what_is_wrong() {
    let law = HolidayLaw::parse(data::EMBEDDED_LAW).expect("law");
    let no_kurban = YearData::parse("kind = \"year\"\nyear = 2028\n").expect("parses alone");
    let err = Calendar::build(law.clone(), vec![no_kurban]).expect_err("missing date");
    assert!(err.to_string().contains("kurban-ait"), "{err}");
    let bad_transfer = YearData::parse(
        "kind = \"year\"\nyear = 2026\n[[dated]]\nholiday = \"kurban-ait\"\ndate = \"2026-05-27\"\n[[transfer]]\nworked = \"2026-03-02\"\noff = \"2026-03-06\"\nbasis = \"x\"\n",
    )
    .expect("parses alone");
    let err = Calendar::build(law, vec![bad_transfer]).expect_err("Monday cannot be 'worked'");
    assert!(err.to_string().contains("2026-03-02"), "{err}");
    assert!(
        YearData::parse("kind = \"year\"\nyear = 2026\n[[dated]]\nholiday = \"kurban-ait\"\ndate = \"2025-05-27\"\n")
            .is_err()
    );
    assert!(matches!(
        YearData::parse("kind = \"holiday-law\"\nyear = 2026\n"),
        Err(DataError::Syntax(_) | DataError::WrongKind { .. })
    ));
}

#[test]
fn exceptions_list_weekday_days_off_and_worked_weekends() {
    let c = cal();
    let ex = c.exceptions(2025).expect("data");
    let dates: Vec<Date> = ex.iter().map(|d| d.date).collect();
    assert!(dates.contains(&date(2025, 1, 5)));
    assert!(dates.contains(&date(2025, 1, 3)));
    assert!(!dates.contains(&date(2025, 3, 22)), "a holiday on Saturday is not an exception");
    assert_eq!(ex.iter().filter(|d| !d.working).count(), 16);
    assert_eq!(ex.iter().filter(|d| d.working).count(), 1);
}

/// App.2 item 7: after hours, weekends and holidays count on the next working day; before
/// opening counts that day; the instant is judged in the akimat's zone.
#[test]
fn app2_item7_received_on_table() {
    let c = cal();
    let h = almaty();
    let table: &[(&str, Date)] = &[
        ("2026-03-02T08:30:00+05:00", date(2026, 3, 2)), // before opening
        ("2026-03-02T12:00:00+05:00", date(2026, 3, 2)),
        ("2026-03-02T18:29:59+05:00", date(2026, 3, 2)),
        ("2026-03-02T18:30:00+05:00", date(2026, 3, 3)),  // closing time
        ("2026-03-02T13:45:00Z", date(2026, 3, 3)),       // 18:45 in Almaty
        ("2026-03-07T10:00:00+05:00", date(2026, 3, 10)), // Saturday; Monday 9 is 8 March moved
        ("2026-03-20T18:45:00+05:00", date(2026, 3, 26)), // Friday evening before Nauryz
        ("2026-03-23T10:00:00+05:00", date(2026, 3, 26)), // on Nauryz itself
        ("2026-03-01T20:00:00Z", date(2026, 3, 2)),       // Monday 01:00 local
        // Before 1 March 2024 Almaty was UTC+6: 13:00Z was 19:00, after closing.
        ("2024-02-15T13:00:00Z", date(2024, 2, 16)),
        // After the change it is 18:00: within hours.
        ("2024-03-15T13:00:00Z", date(2024, 3, 15)),
    ];
    for &(at, expect) in table {
        let r = received_on(&c, &h, ts(at)).expect("data");
        assert_eq!(r.received_on, expect, "{at}");
    }
    let r = received_on(&c, &h, ts("2026-03-07T10:00:00+05:00")).expect("data");
    assert!(matches!(r.why, ReceivedWhy::DayOff { .. }));
    assert!(r.describe(Lang::Ru, &h).contains("следующий рабочий день"));
}

/// The reference: walk day by day.
fn naive_due(c: &Calendar, from: Date, n: u32) -> Result<Date, CalendarError> {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.tomorrow().expect("in range");
        if c.is_working(d)? {
            left -= 1;
        }
    }
    Ok(d)
}

fn any_date() -> impl Strategy<Value = Date> {
    (0i32..(4 * 365)).prop_map(|k| date(2024, 1, 1).checked_add(jiff::Span::new().days(k)).expect("in range"))
}

proptest! {
    /// R12.2: the due date is always a working day.
    #[test]
    fn r12_2_due_date_is_a_working_day(from in any_date(), n in 1u32..40) {
        let c = cal();
        if let Ok(due) = c.due_on(from, n) {
            prop_assert_eq!(c.is_working(due), Ok(true));
        }
    }

    /// R12.2: adding N then M working days equals adding N+M.
    #[test]
    fn r12_2_n_then_m_equals_n_plus_m(from in any_date(), n in 0u32..30, m in 0u32..30) {
        let c = cal();
        if let (Ok(a), Ok(b)) = (c.due_on(from, n).and_then(|d| c.due_on(d, m)), c.due_on(from, n + m)) {
            prop_assert_eq!(a, b);
        }
    }

    /// The bitset agrees with a day-by-day walk, including the error for a missing year.
    #[test]
    fn bitset_agrees_with_the_day_walk(from in any_date(), n in 0u32..300) {
        let c = cal();
        prop_assert_eq!(c.due_on(from, n), naive_due(&c, from, n));
        if let Ok(due) = c.due_on(from, n) {
            prop_assert_eq!(c.working_days_between(from, due), Ok(n));
        }
    }

    /// App.2 item 7 with R12.2: the due date never decreases as the received time grows.
    #[test]
    fn due_date_is_monotone_in_received_time(a in 1_704_067_200i64..1_830_000_000, b in 1_704_067_200i64..1_830_000_000, n in 1u32..10) {
        let c = cal();
        let h = almaty();
        let (t1, t2) = (a.min(b), a.max(b));
        let due = |t: i64| {
            let r = received_on(&c, &h, Timestamp::from_second(t).expect("in range"))?;
            c.due_on(r.received_on, n)
        };
        if let (Ok(d1), Ok(d2)) = (due(t1), due(t2)) {
            prop_assert!(d1 <= d2, "{} -> {}, {} -> {}", t1, d1, t2, d2);
        }
    }

    /// App.2 item 7: a filing is received on a working day, never before the day it was made.
    #[test]
    fn received_on_is_a_working_day_not_before_filing(t in 1_704_067_200i64..1_830_000_000) {
        let c = cal();
        let h = almaty();
        if let Ok(r) = received_on(&c, &h, Timestamp::from_second(t).expect("in range")) {
            prop_assert_eq!(c.is_working(r.received_on), Ok(true));
            prop_assert!(r.received_on >= r.local.date());
        }
    }
}
