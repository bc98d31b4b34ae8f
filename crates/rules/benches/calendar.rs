//! Due-date computations per second on one core (issue: target ≥ 10 million per second).
//!
//! Run with `cargo bench -p rules --bench calendar`. Three figures, each the best of five
//! rounds on one thread:
//! - `due_on`: the Nth working day after a date (the bitset path every deadline uses);
//! - `received_on + due_on`: from an instant, through the akimat's zone and hours;
//! - `naive day walk`: the same answer by stepping day by day, as a baseline in the same
//!   process, so the ratio means something on a noisy machine.

#![expect(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

use std::hint::black_box;
use std::time::Instant;

use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use rules::hours::received_on;
use rules::{Calendar, WorkingHours};

fn rate(name: &str, ops: u64, mut f: impl FnMut() -> u64) -> f64 {
    let mut best = f64::MAX;
    let mut sink = 0;
    for _ in 0..5 {
        let t = Instant::now();
        sink ^= f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    black_box(sink);
    let per_sec = ops as f64 / best;
    println!("{name:<28} {:>14.0} per second ({:.1} ns each)", per_sec, best * 1e9 / ops as f64);
    per_sec
}

fn main() {
    let cal = Calendar::embedded().expect("embedded calendar");
    let hours = WorkingHours::of(
        &rules::RuleBook::embedded().expect("rule sets").sets()[0].working_hours,
        TimeZone::get("Asia/Almaty").expect("zone"),
    );
    // 1024 starting dates spread over 2024-2026 and deadlines of 1..=5 working days.
    let dates: Vec<Date> =
        (0..1024).map(|i| date(2024, 1, 1).checked_add(Span::new().days(i * 1087 % 1090)).expect("in range")).collect();
    let instants: Vec<Timestamp> =
        (0..1024).map(|i| Timestamp::from_second(1_704_067_200 + i * 92_377 % 94_000_000).expect("in range")).collect();
    const ROUNDS: u64 = 10_000;
    let ops = ROUNDS * dates.len() as u64;

    let fast = rate("due_on", ops, || {
        let mut acc = 0u64;
        for r in 0..ROUNDS {
            for (i, &d) in dates.iter().enumerate() {
                let n = 1 + ((i as u64 + r) % 5) as u32;
                let due = cal.due_on(black_box(d), black_box(n)).expect("data");
                acc = acc.wrapping_add(due.day() as u64);
            }
        }
        acc
    });
    let with_zone = rate("received_on + due_on", ops / 10, || {
        let mut acc = 0u64;
        for _ in 0..ROUNDS / 10 {
            for &t in &instants {
                let r = received_on(&cal, &hours, black_box(t)).expect("data");
                acc = acc.wrapping_add(cal.due_on(r.received_on, 2).expect("data").day() as u64);
            }
        }
        acc
    });
    let naive = rate("naive day walk (baseline)", ops / 10, || {
        let mut acc = 0u64;
        for r in 0..ROUNDS / 10 {
            for (i, &d) in dates.iter().enumerate() {
                let mut left = 1 + ((i as u64 + r) % 5) as u32;
                let mut x = black_box(d);
                while left > 0 {
                    x = x.tomorrow().expect("in range");
                    if cal.is_working(x).expect("data") {
                        left -= 1;
                    }
                }
                acc = acc.wrapping_add(x.day() as u64);
            }
        }
        acc
    });
    println!(
        "due_on is {:.1}x the naive walk; received_on + due_on: {:.1} million per second",
        fast / naive,
        with_zone / 1e6
    );
    println!("target: due_on >= 10 million per second: {}", if fast >= 1e7 { "met" } else { "NOT met" });
}
