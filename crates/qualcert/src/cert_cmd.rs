//! `qualcert certificate list`: the register of certificates for people at a terminal and for
//! scripts, one a line, its number first, with the status judged on each akimat's own date.

use std::path::Path;

use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use jiff::civil::Date;
use rules::certificate::{Certificate, Status};

use crate::Outcome;
use crate::store_cmd::{DatabaseArg, open};

#[derive(Subcommand)]
pub(crate) enum CertificateCommand {
    /// Lists certificates by number: number, status, validity, akimat, profession, holder
    /// (tab-separated).
    List {
        /// Only certificates in this status.
        #[arg(long, value_enum)]
        status: Option<StatusFilter>,
        /// The register as it stood on this date (certificates issued by then, their status
        /// then) instead of today in each akimat's time zone.
        #[arg(long)]
        date: Option<Date>,
    },
}

/// The statuses a list can be narrowed to.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatusFilter {
    /// Valid: as issued or extended.
    Active,
    /// The term has ended (R7.2).
    Expired,
    /// Revoked under a control body's act (R7.1).
    Revoked,
    /// Replaced by a re-issued certificate (R8.3).
    Superseded,
}

fn filter_of(s: &Status) -> StatusFilter {
    match s {
        Status::Active { .. } | Status::Extended { .. } => StatusFilter::Active,
        Status::Expired { .. } => StatusFilter::Expired,
        Status::Revoked { .. } => StatusFilter::Revoked,
        Status::Superseded { .. } => StatusFilter::Superseded,
    }
}

fn describe(s: &Status) -> String {
    match s {
        Status::Active { valid_to } => format!("active to {valid_to}"),
        Status::Extended { valid_to } => format!("active, extended to {valid_to}"),
        Status::Expired { on } => format!("expired after {on}"),
        Status::Revoked { on, act } => format!("revoked on {on} (act {} of {}, {})", act.number, act.date, act.body),
        Status::Superseded { by, on } => format!("superseded by {by} on {on}"),
    }
}

fn line(c: &Certificate, s: &Status) -> String {
    let h = &c.holder;
    let name = [Some(h.surname.as_str()), Some(h.given_name.as_str()), h.patronymic.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    format!("{}\t{}\t{}..{}\t{}\t{}\t{}", c.number, describe(s), c.valid_from, c.valid_to, c.akimat, c.profession, name)
}

pub(crate) async fn run(data: &Path, db: &DatabaseArg, cmd: CertificateCommand) -> Result<Outcome> {
    let CertificateCommand::List { status, date } = cmd;
    let store = open(data, db).await?;
    let now = jiff::Timestamp::now();
    for c in store.certificates().await? {
        let on = match date {
            Some(d) => d,
            None => store.today(&c.akimat, now)?,
        };
        if c.issued_on > on {
            continue;
        }
        let s = c.status_on(on);
        if status.is_none_or(|f| f == filter_of(&s)) {
            out!("{}", line(&c, &s));
        }
    }
    Ok(Outcome::Ok)
}
