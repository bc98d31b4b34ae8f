//! A small world: calendar, law, hours, actors, and a ledger that applies events the way
//! the store will (case events, then their effects on certificates).

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rules::assessment::{Answer, Answers};
use rules::case::{self, Application, Case, Command, Contact, Recommendation, Service};
use rules::certificate::{Certificate, CertificateCommand, CertificateEvent, Employer, Holder, decide_certificate};
use rules::complaint::{self, Complaint, ComplaintCommand, Filing};
use rules::documents::{Document, DocumentKind};
use rules::ids::{Iin, TaxpayerId};
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::{Actor, Calendar, Env, Law, Refusal, Role, WorkingHours};

pub(crate) const AKIMAT: &str = "astana";
pub(crate) const PREFIX: &str = "AST";

pub(crate) fn at(s: &str) -> Timestamp {
    s.parse().expect("RFC 3339")
}

pub(crate) fn date(s: &str) -> Date {
    s.parse().expect("YYYY-MM-DD")
}

pub(crate) fn iin() -> Iin {
    Iin::parse("850101300124").expect("valid")
}

pub(crate) fn holder() -> Holder {
    Holder {
        iin: iin(),
        surname: "Smith".into(),
        given_name: "John".into(),
        patronymic: None,
        document_number: "N1234567".into(),
        document_issued_on: date("2020-01-15"),
        document_issued_by: "HM Passport Office".into(),
    }
}

pub(crate) fn doc(kind: DocumentKind) -> Document {
    Document { kind, sha256: format!("{:064x}", kind as u8), file_name: format!("{kind:?}.pdf"), valid_until: None }
}

pub(crate) fn employer() -> Employer {
    Employer { name: "Astana Soft LLP".into(), id: TaxpayerId::parse("170440000126").expect("valid BIN") }
}

pub(crate) fn application(service: Service) -> Application {
    use DocumentKind::*;
    let documents = match service {
        Service::Issue => vec![doc(IdentityDocument), doc(EducationTranslation), doc(LabourActivityRecord)],
        Service::Extend => vec![doc(PreviousCertificate), doc(EmploymentContract)],
        Service::Reissue { ground: case::ReissueGround::EmployerChange } => vec![doc(EmploymentContract)],
        Service::Reissue { .. } => vec![doc(ChangedIdentityDocument)],
        Service::Duplicate { .. } => vec![doc(IdentityDocument), doc(LabourActivityRecord)],
    };
    Application {
        akimat: AKIMAT.into(),
        service,
        applicant: holder(),
        representative: None,
        contact: Contact {
            address: "Astana, Mangilik El 8".into(),
            phone: "+7 701 000 0000".into(),
            fax: None,
            home_address: "London".into(),
            home_phone: "+44 20 0000 0000".into(),
        },
        profession: matches!(service, Service::Issue).then(|| "2512-1".into()),
        sector: matches!(service, Service::Issue).then(|| "J".into()),
        employer: matches!(service, Service::Extend | Service::Reissue { ground: case::ReissueGround::EmployerChange })
            .then(employer),
        contract_end: matches!(service, Service::Extend).then(|| date("2028-12-31")),
        contract_open_ended: false,
        certificate: None,
        event_date: None,
        consent: true,
        documents,
    }
}

/// Answers worth `points` on the sample criteria (from 0 to 10).
pub(crate) fn answers(points: u32) -> Answers {
    let mut a = Answers::new();
    let mut left = points;
    let edu = if left >= 3 { "higher" } else { "none" };
    left -= if edu == "higher" { 3 } else { 0 };
    a.insert("education-level".into(), Answer::Choice(edu.into()));
    let matches = left >= 2;
    left -= if matches { 2 } else { 0 };
    a.insert("education-matches-profession".into(), Answer::YesNo(matches));
    let years = match left.min(3) {
        3 => 5,
        2 => 3,
        1 => 1,
        _ => 0,
    };
    left -= left.min(3);
    a.insert("experience-years".into(), Answer::Years(years));
    a.insert("professional-certificate".into(), Answer::YesNo(left >= 1));
    left = left.saturating_sub(1);
    a.insert("state-or-russian-language".into(), Answer::YesNo(left >= 1));
    a
}

pub(crate) fn decision(points: u32) -> Command {
    Command::RecordDecision {
        minutes: "7".into(),
        members: vec!["m1".into(), "m2".into(), "m3".into(), "m4".into(), "m5".into()],
        present: vec!["m1".into(), "m2".into(), "m3".into()],
        answers: answers(points),
        recommendation: if points >= 6 {
            Recommendation::issue()
        } else {
            Recommendation::Refuse { grounds: vec![], reasoning: String::new() }
        },
    }
}

pub(crate) struct World {
    pub(crate) calendar: Calendar,
    pub(crate) law: Law,
    pub(crate) hours: WorkingHours,
    pub(crate) applicant: Actor,
    pub(crate) officer: Actor,
    pub(crate) commission: Actor,
    pub(crate) reviewer: Actor,
    pub(crate) certificates: HashMap<CertificateNumber, Certificate>,
    pub(crate) certificate_events: Vec<(CertificateNumber, CertificateEvent)>,
    seq: u32,
    cert_seq: u32,
}

impl World {
    pub(crate) fn new() -> World {
        let law = Law::embedded().expect("law");
        World {
            calendar: Calendar::embedded().expect("calendar"),
            hours: WorkingHours::of(&law.rules.sets()[0].working_hours, TimeZone::get("Asia/Almaty").expect("zone")),
            law,
            applicant: Actor { id: "u-applicant".into(), role: Role::Applicant, akimat: None, iin: Some(iin()) },
            officer: Actor { id: "u-officer".into(), role: Role::Officer, akimat: Some(AKIMAT.into()), iin: None },
            commission: Actor {
                id: "u-secretary".into(),
                role: Role::Commission,
                akimat: Some(AKIMAT.into()),
                iin: None,
            },
            reviewer: Actor { id: "u-reviewer".into(), role: Role::Reviewer, akimat: None, iin: None },
            certificates: HashMap::new(),
            certificate_events: Vec::new(),
            seq: 0,
            cert_seq: 0,
        }
    }

    pub(crate) fn env<'a>(&'a self, actor: &'a Actor, now: Timestamp) -> Env<'a> {
        Env { now, actor, calendar: &self.calendar, hours: &self.hours }
    }

    pub(crate) fn next_case_number(&mut self) -> CaseNumber {
        self.seq += 1;
        CaseNumber::new(PREFIX, 2026, self.seq).expect("valid")
    }

    pub(crate) fn next_certificate_number(&mut self, year: u16) -> CertificateNumber {
        self.cert_seq += 1;
        CertificateNumber::new(PREFIX, year, self.cert_seq).expect("valid")
    }

    pub(crate) fn submit(&mut self, app: Application, now: &str) -> Result<Case, Refusal> {
        let number = self.next_case_number();
        let cert = app.certificate.as_ref().and_then(|n| self.certificates.get(n)).cloned();
        let actor = self.applicant.clone();
        let events = case::submit(number, app, &self.env(&actor, at(now)), &self.law, cert.as_ref())?;
        Ok(Case::from_events(&events).expect("starts with a submission"))
    }

    pub(crate) fn run(&mut self, case: &mut Case, cmd: Command, actor: &Actor, now: &str) -> Result<(), Refusal> {
        let cert = case.application.certificate.as_ref().and_then(|n| self.certificates.get(n)).cloned();
        let events = case::decide(case, &cmd, &self.env(actor, at(now)), &self.law, cert.as_ref())?;
        for e in &events {
            case.apply(e);
            for (number, ce) in case::certificate_effects(&case.number, e) {
                let mut slot = self.certificates.get(&number).cloned();
                ce.apply(&mut slot);
                if let Some(c) = slot {
                    self.certificates.insert(number.clone(), c);
                }
                self.certificate_events.push((number, ce));
            }
        }
        Ok(())
    }

    pub(crate) fn officer(&self) -> Actor {
        self.officer.clone()
    }

    pub(crate) fn commission(&self) -> Actor {
        self.commission.clone()
    }

    /// Runs an issue application from filing to the certificate; returns its number.
    pub(crate) fn issue_certificate(&mut self, filed: &str) -> CertificateNumber {
        let mut c = self.submit(application(Service::Issue), filed).expect("submitted");
        let (o, m) = (self.officer(), self.commission());
        let day = &filed[..10];
        self.run(&mut c, Command::Register, &o, &format!("{day}T06:00:00Z")).expect("registered");
        self.run(&mut c, Command::Forward, &o, &format!("{day}T07:00:00Z")).expect("forwarded");
        self.run(&mut c, decision(7), &m, &format!("{day}T08:00:00Z")).expect("decided");
        let year = day[..4].parse().expect("year");
        let number = self.next_certificate_number(year);
        self.run(&mut c, Command::Issue { number: number.clone(), valid_to: None }, &o, &format!("{day}T09:00:00Z"))
            .expect("issued");
        number
    }

    pub(crate) fn certificate_command(
        &mut self,
        number: &CertificateNumber,
        cmd: CertificateCommand,
        actor: &Actor,
        now: &str,
    ) -> Result<Vec<rules::certificate::CertificateEvent>, Refusal> {
        let cert = self.certificates.get(number).cloned().expect("known certificate");
        let rules = self.law.rules.in_force_on(date(&now[..10])).expect("in force").clone();
        let events = decide_certificate(&cert, &cmd, &self.env(actor, at(now)), &rules)?;
        for e in &events {
            let mut slot = Some(cert.clone());
            e.apply(&mut slot);
            self.certificates.insert(number.clone(), slot.expect("still there"));
            self.certificate_events.push((number.clone(), e.clone()));
        }
        Ok(events)
    }

    pub(crate) fn file_complaint(&mut self, filing: Filing, now: &str) -> Result<Complaint, Refusal> {
        self.file_complaint_about(filing, None, now)
    }

    /// Files a complaint whose named case the records hold as `concerned`.
    pub(crate) fn file_complaint_about(
        &mut self,
        filing: Filing,
        concerned: Option<&Case>,
        now: &str,
    ) -> Result<Complaint, Refusal> {
        let number = self.next_case_number();
        let actor = self.applicant.clone();
        let events = complaint::file_complaint(number, filing, concerned, &self.env(&actor, at(now)), &self.law)?;
        Ok(Complaint::from_events(&events).expect("filing first"))
    }

    pub(crate) fn complaint(
        &mut self,
        c: &mut Complaint,
        cmd: ComplaintCommand,
        actor: &Actor,
        now: &str,
    ) -> Result<(), Refusal> {
        let events = complaint::decide_complaint(c, &cmd, &self.env(actor, at(now)), &self.law)?;
        for e in &events {
            c.apply(e);
        }
        Ok(())
    }
}
