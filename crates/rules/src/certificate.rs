//! The certificate's own life (App.3, R7, R8, R9, R11): active → extended → re-issued
//! (superseded by a new number) / duplicate issued / revoked under a control body's act /
//! expired. Expiry is derived from the date, never written by a job (R7.2).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::actor::Role;
use crate::calendar::{Calendar, CalendarError};
use crate::citation::Citation;
use crate::deadline::{Lateness, lateness};
use crate::env::{Env, calendar_refusal};
use crate::ids::{Iin, TaxpayerId};
use crate::numbers::{CaseNumber, CertificateNumber};
use crate::params::RuleSet;
use crate::refusal::{Reason, Refusal};
use crate::text::Lang;
pub use crate::vocab::{CertCommandKind, CertState, ControlAct, Status};

/// The holder as the certificate names them (App.3) and the identity document (App.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// IIN (R3.3).
    pub iin: Iin,
    /// Surname.
    pub surname: String,
    /// Given name.
    pub given_name: String,
    /// Patronymic, if any.
    pub patronymic: Option<String>,
    /// Identity document number (and series).
    pub document_number: String,
    /// Identity document date of issue.
    pub document_issued_on: Date,
    /// Identity document issuing authority.
    pub document_issued_by: String,
}

impl Holder {
    /// "Surname Given Patronymic".
    pub fn full_name(&self) -> String {
        let mut s = format!("{} {}", self.surname, self.given_name);
        if let Some(p) = &self.patronymic {
            s.push(' ');
            s.push_str(p);
        }
        s
    }

    /// The name with all but initials hidden, for the public (`Ivanov I. P.` → `I***** I. P.`).
    pub fn masked_name(&self) -> String {
        let initial = |s: &str| s.chars().next().map(|c| format!("{c}.")).unwrap_or_default();
        let mut sur = self.surname.chars();
        let first = sur.next().map(String::from).unwrap_or_default();
        let mut out = format!("{first}{} {}", "*".repeat(sur.count().min(8)), initial(&self.given_name));
        if let Some(p) = &self.patronymic {
            out.push(' ');
            out.push_str(&initial(p));
        }
        out
    }
}

/// An employer named by name and BIN or IIN (R5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employer {
    /// Name.
    pub name: String,
    /// BIN, or IIN of an individual entrepreneur.
    pub id: TaxpayerId,
}

/// A certificate as issued, with what happened to it since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Its number (App.3).
    pub number: CertificateNumber,
    /// The akimat's code.
    pub akimat: crate::akimat::AkimatCode,
    /// The holder.
    pub holder: Holder,
    /// Occupation code of the in-demand profession.
    pub profession: String,
    /// OKED code of the priority sector.
    pub sector: String,
    /// The basis for issue (App.3), e.g. the Commission's minutes, in English.
    pub basis: String,
    /// The same basis in parts, so the form can state it in Kazakh or Russian
    /// ([`Certificate::basis_in`]). Absent in certificates recorded before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis_of: Option<Basis>,
    /// Date of issue.
    pub issued_on: Date,
    /// Valid from.
    pub valid_from: Date,
    /// Valid to (inclusive), as extended.
    pub valid_to: Date,
    /// The employer, when known.
    pub employer: Option<Employer>,
    /// The case that issued it.
    pub case: CaseNumber,
    /// The certificate this one re-issues (R8.3).
    pub replaces: Option<CertificateNumber>,
    /// The certificate that superseded this one, and when.
    pub superseded: Option<(CertificateNumber, Date)>,
    /// Revocation, if any (R7.1).
    pub revoked: Option<(Date, ControlAct)>,
    /// Extensions: (decided on, old end, new end).
    pub extensions: Vec<(Date, Date, Date)>,
    /// Days duplicates were issued (R9.2).
    pub duplicates: Vec<Date>,
    /// Notices received (R6.1, R6.2), with lateness.
    pub notices: Vec<Notice>,
}

/// Why a certificate was issued (App.3, "basis for issue").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Basis {
    /// The Commission's decision (R4.4): its minutes and the day of the sitting.
    Decision {
        /// The minutes' number.
        minutes: String,
        /// The day of the sitting.
        on: Date,
    },
    /// A re-issue of an earlier certificate (Rules §22) on an application.
    Reissue {
        /// The certificate re-issued.
        of: CertificateNumber,
        /// The application.
        case: CaseNumber,
    },
}

impl Basis {
    /// As the form states it in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let date = |d: &Date| if lang == Lang::En { d.to_string() } else { crate::text::dotted_date(*d) };
        match self {
            Basis::Decision { minutes, on } => crate::speech::say(
                lang,
                "basis-decision",
                &[("minutes", minutes.as_str().into()), ("on", date(on).into())],
            ),
            Basis::Reissue { of, case } => crate::speech::say(
                lang,
                "basis-reissue",
                &[
                    ("of", of.to_string().into()),
                    ("case", case.to_string().into()),
                    ("citation", Citation::new("Rules §22").localized(lang).into()),
                ],
            ),
        }
    }
}

/// A notice from the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Notice {
    /// A new employment contract (Rules §18): the certificate is to be re-issued (§19).
    NewEmployer {
        /// The new contract's date.
        contract_date: Date,
        /// The new employer.
        employer: Employer,
        /// Received on.
        received_on: Date,
        /// Set when past the 5-working-day window.
        late: Option<Lateness>,
    },
    /// The employment contract ended (Rules §20).
    ContractEnded {
        /// The end date.
        end_date: Date,
        /// Received on.
        received_on: Date,
        /// Never set for a new notice: Rules §20's notice is voluntary, so it cannot be late.
        /// Records made before that reading may carry one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        late: Option<Lateness>,
        /// Working days from the end of the contract to the filing day, for information.
        #[serde(default)]
        working_days_elapsed: Option<u32>,
    },
}

impl Status {
    /// Valid (active or extended).
    pub fn is_valid(&self) -> bool {
        matches!(self, Status::Active { .. } | Status::Extended { .. })
    }

    /// The table's name of the state.
    pub fn state(&self) -> CertState {
        match self {
            Status::Active { .. } | Status::Extended { .. } => CertState::Valid,
            Status::Superseded { .. } => CertState::Superseded,
            Status::Revoked { .. } => CertState::Revoked,
            Status::Expired { .. } => CertState::Expired,
        }
    }

    /// For a person.
    pub fn describe(&self, lang: Lang) -> String {
        let say = |key: &str, args: &[(&str, crate::speech::Arg<'_>)]| crate::speech::say(lang, key, args);
        match self {
            Status::Active { valid_to } => say("cert-status-active", &[("to", valid_to.to_string().into())]),
            Status::Extended { valid_to } => say("cert-status-extended", &[("to", valid_to.to_string().into())]),
            Status::Superseded { by, on } => {
                say("cert-status-superseded", &[("on", on.to_string().into()), ("by", by.to_string().into())])
            }
            Status::Revoked { on, act } => say(
                "cert-status-revoked",
                &[
                    ("on", on.to_string().into()),
                    ("act", act.number.as_str().into()),
                    ("body", act.body.as_str().into()),
                ],
            ),
            Status::Expired { on } => say("cert-status-expired", &[("on", on.to_string().into())]),
        }
    }
}

impl Certificate {
    /// The basis for issue in `lang`: from its parts when recorded, else as recorded.
    pub fn basis_in(&self, lang: Lang) -> String {
        self.basis_of.as_ref().map_or_else(|| self.basis.clone(), |b| b.describe(lang))
    }

    /// The status on `date` (R7.2): revoked or superseded from the day it happened, expired the
    /// day after `valid_to`.
    pub fn status_on(&self, date: Date) -> Status {
        if let Some((on, act)) = &self.revoked
            && *on <= date
        {
            return Status::Revoked { on: *on, act: act.clone() };
        }
        if let Some((by, on)) = &self.superseded
            && *on <= date
        {
            return Status::Superseded { by: by.clone(), on: *on };
        }
        if date > self.valid_to {
            return Status::Expired { on: self.valid_to };
        }
        if self.extensions.is_empty() {
            Status::Active { valid_to: self.valid_to }
        } else {
            Status::Extended { valid_to: self.valid_to }
        }
    }
}

/// What happens to a certificate; its event stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum CertificateEvent {
    /// Issued (first issue or re-issue).
    Issued {
        /// The certificate.
        certificate: Box<Certificate>,
    },
    /// Extended (R5.1).
    Extended {
        /// On.
        on: Date,
        /// New end.
        valid_to: Date,
        /// The case.
        case: CaseNumber,
    },
    /// Superseded by a re-issue (R8.3).
    Superseded {
        /// On.
        on: Date,
        /// The new number.
        by: CertificateNumber,
    },
    /// A duplicate was issued (R9.2).
    DuplicateIssued {
        /// On.
        on: Date,
        /// The case.
        case: CaseNumber,
    },
    /// Revoked (R7.1).
    Revoked {
        /// On.
        on: Date,
        /// The act.
        act: ControlAct,
    },
    /// A notice from the holder was received (R6.1, R6.2).
    Noticed {
        /// The notice.
        notice: Notice,
    },
    /// The holder was told of a window of theirs that is closing (the reminder is the
    /// service's own; the window is the law's).
    Reminded {
        /// The window.
        window: Window,
        /// Its last day.
        due_on: Date,
        /// The day told.
        on: Date,
    },
    /// A window closed without the application it was for: recorded as a fact with its
    /// paragraph. The order sets no sanction for it, so none is applied.
    WindowMissed {
        /// The window.
        window: Window,
        /// Its last day.
        due_on: Date,
        /// The day recorded.
        on: Date,
    },
}

/// A window of the holder's own that the service watches for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Window {
    /// Apply for an extension so that the application counts as received while the
    /// certificate is valid (Rules §16; R5.1).
    Extension,
    /// Apply for re-issue within 5 working days of the new employment contract notified
    /// under Rules §18 (Rules §19, §22 para 2).
    Reissue,
}

impl Window {
    /// Its tag, as stored.
    pub fn tag(self) -> &'static str {
        match self {
            Window::Extension => "extension",
            Window::Reissue => "reissue",
        }
    }

    /// The paragraph that sets it.
    pub fn citation(self) -> Citation {
        Citation::new(match self {
            Window::Extension => "Rules §16",
            Window::Reissue => "Rules §22 para 2",
        })
    }

    /// From its tag.
    pub fn from_tag(tag: &str) -> Option<Window> {
        [Window::Extension, Window::Reissue].into_iter().find(|w| w.tag() == tag)
    }
}

/// Working days before an extension's last day at which the holder is reminded: the
/// service's own lead time, long enough to gather a contract and apply; not the law's.
pub const EXTENSION_REMINDER_WORKING_DAYS: u32 = 20;

/// Working days before a re-issue window's last day at which the holder is reminded.
pub const REISSUE_REMINDER_WORKING_DAYS: u32 = 1;

/// A window the holder must keep, with the day to remind them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    /// Which.
    pub window: Window,
    /// The last day to apply.
    pub due_on: Date,
    /// The day the holder is reminded (on or before `due_on`).
    pub remind_on: Date,
    /// The paragraph.
    pub citation: Citation,
}

/// The `n`th working day before `day` (`day` itself when `n` is 0 and it is a working day).
fn working_days_before(calendar: &Calendar, day: Date, n: u32) -> Result<Date, CalendarError> {
    let mut d = day;
    let mut left = n;
    loop {
        if calendar.is_working(d)? {
            if left == 0 {
                return Ok(d);
            }
            left -= 1;
        }
        d = d.yesterday().map_err(|_| CalendarError::NoData { year: d.year() })?;
    }
}

/// The extension window of a certificate valid to `valid_to`: the certificate must be valid
/// when the holder submits the application (R5.1; App.2 item 9 judges what the applicant
/// submitted, and item 7 moves only the akimat's acceptance), so the last day to apply is
/// `valid_to` itself, a weekend or holiday included: the service takes applications online
/// every day.
pub fn extension_obligation(calendar: &Calendar, valid_to: Date) -> Result<Obligation, CalendarError> {
    let due_on = valid_to;
    Ok(Obligation {
        window: Window::Extension,
        due_on,
        remind_on: working_days_before(calendar, due_on, EXTENSION_REMINDER_WORKING_DAYS)?,
        citation: Window::Extension.citation(),
    })
}

/// The re-issue window opened by a new employment contract of `contract_date` (Rules §18,
/// §19): the application within the rule set's working days of the change (§22 para 2).
pub fn reissue_obligation(
    calendar: &Calendar,
    rules: &RuleSet,
    contract_date: Date,
) -> Result<Obligation, CalendarError> {
    let term = &rules.deadlines.reissue_application;
    let due_on = calendar.due_on(contract_date, term.working_days)?;
    Ok(Obligation {
        window: Window::Reissue,
        due_on,
        remind_on: working_days_before(calendar, due_on, REISSUE_REMINDER_WORKING_DAYS)?.max(contract_date),
        citation: rules.cite(&term.citation),
    })
}

impl CertificateEvent {
    /// The event's name, as serialized (`issued`, `extended`, …).
    pub fn name(&self) -> &'static str {
        match self {
            CertificateEvent::Issued { .. } => "issued",
            CertificateEvent::Extended { .. } => "extended",
            CertificateEvent::Superseded { .. } => "superseded",
            CertificateEvent::DuplicateIssued { .. } => "duplicate-issued",
            CertificateEvent::Revoked { .. } => "revoked",
            CertificateEvent::Noticed { .. } => "noticed",
            CertificateEvent::Reminded { .. } => "reminded",
            CertificateEvent::WindowMissed { .. } => "window-missed",
        }
    }

    /// The paragraph it acts under.
    pub fn citation(&self) -> Citation {
        Citation::new(match self {
            CertificateEvent::Issued { .. } => "Rules §13; App.3",
            CertificateEvent::Extended { .. } => "Rules §16",
            CertificateEvent::Superseded { .. } => "Rules §22 para 3",
            CertificateEvent::DuplicateIssued { .. } => "Rules §22-1",
            CertificateEvent::Revoked { .. } => "Rules §21",
            CertificateEvent::Noticed { notice: Notice::NewEmployer { .. } } => "Rules §18",
            CertificateEvent::Noticed { notice: Notice::ContractEnded { .. } } => "Rules §20",
            CertificateEvent::Reminded { window, .. } | CertificateEvent::WindowMissed { window, .. } => {
                return window.citation();
            }
        })
    }

    /// Folds the event into the certificate (`None` before it is issued).
    pub fn apply(&self, cert: &mut Option<Certificate>) {
        match self {
            CertificateEvent::Issued { certificate } => *cert = Some((**certificate).clone()),
            other => {
                let Some(c) = cert.as_mut() else { return };
                match other {
                    CertificateEvent::Issued { .. } => {}
                    CertificateEvent::Extended { on, valid_to, .. } => {
                        c.extensions.push((*on, c.valid_to, *valid_to));
                        c.valid_to = *valid_to;
                    }
                    CertificateEvent::Superseded { on, by } => c.superseded = Some((by.clone(), *on)),
                    CertificateEvent::DuplicateIssued { on, .. } => c.duplicates.push(*on),
                    CertificateEvent::Revoked { on, act } => c.revoked = Some((*on, act.clone())),
                    CertificateEvent::Noticed { notice } => c.notices.push(notice.clone()),
                    // Facts about the holder's windows; the certificate itself is unchanged.
                    CertificateEvent::Reminded { .. } | CertificateEvent::WindowMissed { .. } => {}
                }
            }
        }
    }
}

impl CertState {
    /// Every state.
    pub const ALL: [CertState; 4] = [CertState::Valid, CertState::Superseded, CertState::Revoked, CertState::Expired];

    /// Its name for a person.
    pub fn name(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                CertState::Valid => "cert-state-valid",
                CertState::Superseded => "cert-state-superseded",
                CertState::Revoked => "cert-state-revoked",
                CertState::Expired => "cert-state-expired",
            },
        )
    }
}

/// Commands on a certificate outside the services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum CertificateCommand {
    /// The LEB revokes under a control body's act (R7.1, Rules §21).
    Revoke {
        /// The act.
        act: ControlAct,
    },
    /// The holder notifies a new employer (R6.1, Rules §18).
    NotifyNewEmployer {
        /// The new contract's date.
        contract_date: Date,
        /// The employer.
        employer: Employer,
    },
    /// The holder notifies the end of the contract (R6.2, Rules §20).
    NotifyContractEnd {
        /// The end date.
        end_date: Date,
    },
    /// The service reminds the holder of a window closing on `due_on`.
    Remind {
        /// The window.
        window: Window,
        /// Its last day.
        due_on: Date,
    },
    /// The service records that a window closed on `due_on` without its application.
    RecordMissedWindow {
        /// The window.
        window: Window,
        /// Its last day.
        due_on: Date,
    },
}

impl CertCommandKind {
    /// Every kind.
    pub const ALL: [CertCommandKind; 5] = [
        CertCommandKind::Revoke,
        CertCommandKind::NotifyNewEmployer,
        CertCommandKind::NotifyContractEnd,
        CertCommandKind::Remind,
        CertCommandKind::RecordMissedWindow,
    ];

    /// Its name for a person, in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                CertCommandKind::Revoke => "cert-command-kind-revoke",
                CertCommandKind::NotifyNewEmployer => "cert-command-kind-notify-new-employer",
                CertCommandKind::NotifyContractEnd => "cert-command-kind-notify-contract-end",
                CertCommandKind::Remind => "cert-command-kind-remind",
                CertCommandKind::RecordMissedWindow => "cert-command-kind-record-missed-window",
            },
        )
    }

    /// Its name in tables.
    pub fn name(self) -> &'static str {
        match self {
            CertCommandKind::Revoke => "revoke",
            CertCommandKind::NotifyNewEmployer => "notify new employer",
            CertCommandKind::NotifyContractEnd => "notify contract end",
            CertCommandKind::Remind => "remind",
            CertCommandKind::RecordMissedWindow => "record missed window",
        }
    }

    /// Who may, and under which paragraph.
    pub fn role(self) -> (Role, Citation) {
        match self {
            CertCommandKind::Revoke => (Role::Officer, Citation::new("Rules §21")),
            CertCommandKind::NotifyNewEmployer => (Role::Applicant, Citation::new("Rules §18")),
            CertCommandKind::NotifyContractEnd => (Role::Applicant, Citation::new("Rules §20")),
            CertCommandKind::Remind => (Role::System, Citation::new("Rules §16, §22")),
            CertCommandKind::RecordMissedWindow => (Role::System, Citation::new("Rules §22 para 2")),
        }
    }
}

impl CertificateCommand {
    /// Its kind.
    pub fn kind(&self) -> CertCommandKind {
        match self {
            CertificateCommand::Revoke { .. } => CertCommandKind::Revoke,
            CertificateCommand::NotifyNewEmployer { .. } => CertCommandKind::NotifyNewEmployer,
            CertificateCommand::NotifyContractEnd { .. } => CertCommandKind::NotifyContractEnd,
            CertificateCommand::Remind { .. } => CertCommandKind::Remind,
            CertificateCommand::RecordMissedWindow { .. } => CertCommandKind::RecordMissedWindow,
        }
    }
}

/// The certificate table: every command acts only on a valid certificate (a revoked,
/// superseded or expired one is no longer in force, Rules §23).
pub fn cert_transition(state: CertState, cmd: CertCommandKind) -> Result<CertState, Citation> {
    match (state, cmd) {
        (CertState::Valid, CertCommandKind::Revoke) => Ok(CertState::Revoked),
        (CertState::Valid, _) => Ok(CertState::Valid),
        (_, _) => Err(Citation::new("Rules §23")),
    }
}

/// Decides a certificate command. Notices count from the day they are received (App.2
/// item 7); a revocation takes effect on the akimat's date.
pub fn decide_certificate(
    cert: &Certificate,
    cmd: &CertificateCommand,
    env: &Env<'_>,
    rules: &RuleSet,
) -> Result<Vec<CertificateEvent>, Refusal> {
    decide_certificate_numbered(cert, cmd, env, rules).map_err(|mut refusal| {
        refusal.citation = rules.cite(&refusal.citation);
        refusal
    })
}

fn decide_certificate_numbered(
    cert: &Certificate,
    cmd: &CertificateCommand,
    env: &Env<'_>,
    rules: &RuleSet,
) -> Result<Vec<CertificateEvent>, Refusal> {
    let actor = env.actor;
    let today = env.today();
    let status = cert.status_on(today);
    let kind = cmd.kind();
    if let Err(citation) = cert_transition(status.state(), kind) {
        return Err(Refusal::new(
            Reason::CertificateNotValid { number: cert.number.to_string(), status: Box::new(status) },
            citation,
        ));
    }
    let (role, citation) = kind.role();
    if actor.role != role {
        return Err(Refusal::new(Reason::WrongRole { needed: role, actual: actor.role }, citation));
    }
    match role {
        Role::Officer if actor.akimat.as_deref() != Some(cert.akimat.as_str()) => {
            return Err(Refusal::new(Reason::OtherAkimat { akimat: cert.akimat.clone() }, citation));
        }
        Role::Applicant if actor.iin.as_ref() != Some(&cert.holder.iin) => {
            return Err(Refusal::new(Reason::NotTheHolder, citation));
        }
        _ => {}
    }
    Ok(vec![match cmd {
        CertificateCommand::Revoke { act } => {
            if act.body.trim().is_empty() || act.number.trim().is_empty() {
                return Err(Refusal::new(Reason::NoControlAct, citation));
            }
            let on = match rules.readings.revoked_from {
                crate::params::RevokedFrom::AkimatDay => today,
                crate::params::RevokedFrom::ActDate => act.date.min(today),
            };
            CertificateEvent::Revoked { on, act: act.clone() }
        }
        CertificateCommand::NotifyNewEmployer { contract_date, employer } => {
            let receipt = env.receipt()?;
            let received_on = receipt.received_on;
            // The holder's own window runs to the local day they filed (R12.2): App.2 item 7's
            // shift only moves the akimat's acceptance.
            let late =
                lateness(env.calendar, *contract_date, receipt.local.date(), &rules.deadlines.employer_change_notice)
                    .map_err(|e| calendar_refusal(e, citation.clone()))?;
            CertificateEvent::Noticed {
                notice: Notice::NewEmployer {
                    contract_date: *contract_date,
                    employer: employer.clone(),
                    received_on,
                    late,
                },
            }
        }
        CertificateCommand::NotifyContractEnd { end_date } => {
            let receipt = env.receipt()?;
            // Rules §20: the notice is sent "voluntarily" (ерікті түрде): it is never late; the
            // working days since the end of the contract are recorded for information only.
            let working_days_elapsed = env.calendar.working_days_between(*end_date, receipt.local.date()).ok();
            CertificateEvent::Noticed {
                notice: Notice::ContractEnded {
                    end_date: *end_date,
                    received_on: receipt.received_on,
                    late: None,
                    working_days_elapsed,
                },
            }
        }
        CertificateCommand::Remind { window, due_on } => {
            if today > *due_on {
                return Err(Refusal::new(Reason::WindowClosed { due: *due_on }, window.citation()));
            }
            CertificateEvent::Reminded { window: *window, due_on: *due_on, on: today }
        }
        CertificateCommand::RecordMissedWindow { window, due_on } => {
            if today <= *due_on {
                return Err(Refusal::new(Reason::WindowStillOpen { due: *due_on }, window.citation()));
            }
            CertificateEvent::WindowMissed { window: *window, due_on: *due_on, on: today }
        }
    }])
}
