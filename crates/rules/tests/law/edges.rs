//! Issue 33: the last wrong results at the law's edges, each against the calendar and data
//! shipped: the holder's windows, the term in months at a month's end, and the readings the
//! rule set now writes down.

use jiff::civil::date;
use rules::Calendar;
use rules::case::add_months;
use rules::deadline::lateness;

use crate::support::World;

/// R12.2, Rules §22 para 2: the 5 working days end with the 5th; a later date is late even
/// when no working day passed since (a Saturday, Nauryz).
#[test]
fn issue_33_r12_2_a_window_ends_with_its_last_working_day() {
    let calendar = Calendar::embedded().expect("calendar");
    let w = World::new();
    let set = w.law.rules.in_force_on(date(2026, 3, 13)).expect("in force");
    let term = &set.deadlines.reissue_application;
    // Changed on Friday 13 March 2026: 16–20 March; Nauryz keeps 21–25 March off.
    assert_eq!(lateness(&calendar, date(2026, 3, 13), date(2026, 3, 20), term), Ok(None));
    for filed in [date(2026, 3, 21), date(2026, 3, 23), date(2026, 3, 25), date(2026, 3, 26)] {
        let late = lateness(&calendar, date(2026, 3, 13), filed, term).expect("calendar").expect("late");
        assert_eq!(late.last_day, Some(date(2026, 3, 20)), "{filed}");
    }
}

/// Rules §13, §16: a term in months ends on the matching day, counted from the day before it
/// starts, or on its last month's last day; 29 February survives.
#[test]
fn issue_33_r5_1_terms_in_months_survive_month_ends_and_leap_days() {
    // Valid to 28.02.2028: the 3 years run from 29 February 2028 to 28 February 2031.
    assert_eq!(add_months(date(2028, 2, 29), 36), date(2031, 2, 28));
    assert_eq!(add_months(date(2028, 3, 1), 36), date(2031, 2, 28));
    assert_eq!(add_months(date(2027, 3, 1), 36), date(2030, 2, 28));
    // First issues: 28 November ends on 27 February; 29 and 30 November and 1 December on the
    // 28th; in a leap year the 29th.
    assert_eq!(add_months(date(2026, 11, 28), 3), date(2027, 2, 27));
    assert_eq!(add_months(date(2026, 11, 29), 3), date(2027, 2, 28));
    assert_eq!(add_months(date(2026, 11, 30), 3), date(2027, 2, 28));
    assert_eq!(add_months(date(2026, 12, 1), 3), date(2027, 2, 28));
    assert_eq!(add_months(date(2027, 11, 30), 3), date(2028, 2, 29));
    assert_eq!(add_months(date(2026, 3, 2), 3), date(2026, 6, 1));
}

/// The readings the code makes are named in the rule set, each with its argument in the file.
#[test]
fn issue_33_readings_are_written_in_the_rule_set() {
    use rules::params::{FirstTermFrom, RevokedFrom, TermsFrom};
    let w = World::new();
    let set = w.law.rules.in_force_on(date(2026, 4, 6)).expect("in force");
    assert_eq!(set.readings.first_term_from, FirstTermFrom::IssueDate);
    assert_eq!(set.readings.terms_counted_from, TermsFrom::ReceivedDay);
    assert_eq!(set.readings.revoked_from, RevokedFrom::AkimatDay);
    let file = include_str!("../../data/rule-sets.toml");
    for key in ["first_term_from", "terms_counted_from", "revoked_from", "extension_counted_from"] {
        let at = file.find(&format!("\n{key} = ")).unwrap_or_else(|| panic!("{key} in rule-sets.toml"));
        let before = &file[..at];
        let comment = before.lines().last().unwrap_or("");
        assert!(comment.starts_with('#'), "{key} has its argument above it: {comment:?}");
    }
}
