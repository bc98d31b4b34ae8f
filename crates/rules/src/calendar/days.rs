//! Day numbers: civil dates as consecutive integers, so the calendar can index a bitset.
//!
//! Howard Hinnant's `days_from_civil` / `civil_from_days` on the proleptic Gregorian
//! calendar: a few integer operations, no tables, which keeps a due-date computation in the
//! tens of nanoseconds.

use jiff::civil::Date;

/// Days since 1970-01-01 of a civil date.
pub(crate) fn day_number(date: Date) -> i32 {
    let (y, m, d) = (i32::from(date.year()), i32::from(date.month()), i32::from(date.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub(crate) fn date_of(number: i32) -> Date {
    let z = number + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    // The arithmetic above only produces valid dates inside jiff's range (years -9999..=9999),
    // which is far wider than any calendar this crate loads.
    jiff::civil::date(y as i16, m as i8, d as i8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn round_trips_and_matches_jiff() {
        let epoch = date(1970, 1, 1);
        let mut d = date(2020, 1, 1);
        while d < date(2032, 1, 1) {
            let n = day_number(d);
            assert_eq!(n as i64, (d - epoch).get_days() as i64, "{d}");
            assert_eq!(date_of(n), d);
            d = d.tomorrow().expect("in range");
        }
    }
}
