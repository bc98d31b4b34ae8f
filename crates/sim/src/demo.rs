//! Demo data: synthetic applicants run through realistic lifecycles by the real service
//! layer (every command decided by the rules, committed, chained), so a newcomer's queue,
//! registry and reports have something true to show.
//!
//! The mix, by applicant number modulo 12: four issued; not accepted (a missing document);
//! refused on each ground of App.2 item 9; issued then extended; re-issued; given a duplicate;
//! revoked and complained about. The last tenth stop midway, so the queues are not empty;
//! one in nine is forwarded a day late, so the reports have a breach to show.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rules::assessment::{Answer, Answers};
use rules::case::{Application, CaseAction, Contact, DuplicateGround, Ground, Recommendation, ReissueGround, Service};
use rules::certificate::{CertificateCommand, ControlAct, Employer, Holder};
use rules::complaint::{ComplaintCommand, Filing, Route, Target, Verdict};
use rules::documents::{Document, DocumentKind};
use rules::ids::{Iin, TaxpayerId, check_digit};
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::{Actor, Role};
use serde::Serialize;

use store::backup::Progress;
use store::{Request, Store, StoreError};

/// The akimats the demo uses.
pub const DEMO_AKIMATS: [&str; 4] = ["astana", "almaty-city", "shymkent", "karaganda"];

/// What the demo did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Applications filed.
    pub applications: u64,
    /// Certificates issued (first issue).
    pub issued: u64,
    /// Not accepted.
    pub not_accepted: u64,
    /// Refused.
    pub refused: u64,
    /// Extended.
    pub extended: u64,
    /// Re-issued.
    pub reissued: u64,
    /// Duplicates.
    pub duplicated: u64,
    /// Revoked.
    pub revoked: u64,
    /// Complaints.
    pub complaints: u64,
    /// Left midway.
    pub in_progress: u64,
}

/// A valid IIN for demo applicant `i` (born 1970–1999, century digit 3 or 4).
pub fn demo_iin(i: u64) -> Iin {
    let yy = 70 + (i % 30);
    let mm = 1 + (i / 30) % 12;
    let dd = 1 + (i / 360) % 28;
    for serial in 0..10_000u64 {
        let s = format!("{yy:02}{mm:02}{dd:02}{}{:04}0", 3 + (i % 2), (i * 7 + serial) % 10_000);
        let mut d = [0u8; 12];
        for (k, c) in s.bytes().enumerate() {
            d[k] = c - b'0';
        }
        if let Some(c) = check_digit(&d) {
            d[11] = c;
            let text: String = d.iter().map(|x| char::from(b'0' + x)).collect();
            if let Ok(iin) = Iin::parse(&text) {
                return iin;
            }
        }
    }
    Iin::parse("850101300124").unwrap_or_else(|_| unreachable!("a valid example IIN"))
}

const NAMES: [(&str, &str); 8] = [
    ("Karimov", "Bakhtiyor"),
    ("Petrova", "Anna"),
    ("Smith", "John"),
    ("Nguyen", "Thi Lan"),
    ("Yilmaz", "Mehmet"),
    ("Sharma", "Priya"),
    ("Kim", "Min-jun"),
    ("Rossi", "Giulia"),
];

struct Demo<'a> {
    store: &'a Store,
    summary: Summary,
}

impl Demo<'_> {
    async fn run(&mut self, actor: &Actor, at: Timestamp, request: Request) -> Result<store::Applied, StoreError> {
        self.store.execute(actor.clone(), at, request, None).await
    }

    fn day(&self, start: Date, k: u32) -> Result<Date, StoreError> {
        self.store.reference().calendar.due_on(start, k).map_err(|e| StoreError::Config(format!("demo dates: {e}")))
    }

    /// 10:00 + `minutes` in the akimat's zone on `day`.
    fn at(&self, akimat: &str, day: Date, minutes: i64) -> Result<Timestamp, StoreError> {
        let zone = &self.store.reference().hours(akimat)?.zone;
        let local = day
            .at(10, 0, 0, 0)
            .checked_add(SignedDuration::from_mins(minutes))
            .map_err(|e| StoreError::Config(e.to_string()))?;
        zone.to_timestamp(local).map_err(|e| StoreError::Config(e.to_string()))
    }
}

fn answers(points: u32) -> Answers {
    let high = points >= 6;
    [
        ("education-level", Answer::Choice(if high { "higher" } else { "vocational" }.into())),
        ("education-matches-profession", Answer::YesNo(high)),
        (
            "experience-years",
            Answer::Years(if points >= 8 {
                6
            } else if high {
                1
            } else {
                0
            }),
        ),
        ("professional-certificate", Answer::YesNo(points >= 9)),
        ("state-or-russian-language", Answer::YesNo(high || points >= 3)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Applicants run one after another below this many, so a small demo numbers its cases in
/// applicant order; above it, this many at once, so the writer batches their commands.
const CONCURRENT: u64 = 32;

/// Runs `count` applicants through their lifecycles, from `start` (a working day).
pub async fn run(store: &Store, count: u64, start: Date, progress: &dyn Progress) -> Result<Summary, StoreError> {
    progress.stage("applicants", count);
    let mut summary = Summary::default();
    if count < 1000 {
        for i in 0..count {
            summary.add(&applicant(store, i, count, start).await?);
            progress.advance(1);
        }
        return Ok(summary);
    }
    let mut running = tokio::task::JoinSet::new();
    let mut next = 0;
    loop {
        while next < count && running.len() < CONCURRENT as usize {
            let store = store.clone();
            let i = next;
            running.spawn(async move { applicant(&store, i, count, start).await });
            next += 1;
        }
        match running.join_next().await {
            Some(done) => {
                summary.add(&done.map_err(|e| StoreError::Config(format!("demo task: {e}")))??);
                progress.advance(1);
            }
            None => return Ok(summary),
        }
    }
}

impl Summary {
    fn add(&mut self, o: &Summary) {
        self.applications += o.applications;
        self.issued += o.issued;
        self.not_accepted += o.not_accepted;
        self.refused += o.refused;
        self.extended += o.extended;
        self.reissued += o.reissued;
        self.duplicated += o.duplicated;
        self.revoked += o.revoked;
        self.complaints += o.complaints;
        self.in_progress += o.in_progress;
    }
}

/// Runs applicant `i` of `count` through their lifecycle; what it did.
async fn applicant(store: &Store, i: u64, count: u64, start: Date) -> Result<Summary, StoreError> {
    let mut demo = Demo { store, summary: Summary::default() };
    let reviewer = Actor { id: "demo-reviewer".into(), role: Role::Reviewer, akimat: None, iin: None };
    let stop_midway_from = count - count / 10;
    {
        let akimat = DEMO_AKIMATS[(i % DEMO_AKIMATS.len() as u64) as usize];
        let officer =
            Actor { id: format!("demo-officer-{akimat}"), role: Role::Officer, akimat: Some(akimat.into()), iin: None };
        let commission = Actor {
            id: format!("demo-secretary-{akimat}"),
            role: Role::Commission,
            akimat: Some(akimat.into()),
            iin: None,
        };
        let iin = demo_iin(i);
        let applicant =
            Actor { id: format!("demo-applicant-{i}"), role: Role::Applicant, akimat: None, iin: Some(iin.clone()) };
        let path = i % 12;
        let d0 = demo.day(start, u32::try_from((i / 16) % 120).unwrap_or(0))?;
        // One applicant in nine meets a slow akimat: the documents are forwarded on the third
        // working day, one past Rules §7's two, so reports and alerts have a breach to show.
        let slow = i % 9 == 3;
        let (d1, d2, d3) = if slow {
            (demo.day(d0, 3)?, demo.day(d0, 4)?, demo.day(d0, 5)?)
        } else {
            (demo.day(d0, 1)?, demo.day(d0, 2)?, demo.day(d0, 3)?)
        };
        let (application, holder) = first_application(store, i, akimat, path).await?;
        let filed = demo
            .run(
                &applicant,
                demo.at(akimat, d0, (i % 60) as i64)?,
                Request::Submit { application: Box::new(application) },
            )
            .await?;
        demo.summary.applications += 1;
        let case = CaseNumber::parse(&filed.number).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if path == 4 {
            demo.summary.not_accepted += 1;
            return Ok(demo.summary);
        }
        let act = |action| Request::Case { number: case.clone(), expected_version: None, action };
        let midway = i >= stop_midway_from;
        demo.run(&officer, demo.at(akimat, d0, 90)?, act(CaseAction::Register)).await?;
        if midway && i.is_multiple_of(3) {
            demo.summary.in_progress += 1;
            return Ok(demo.summary);
        }
        demo.run(&officer, demo.at(akimat, d1, 30)?, act(CaseAction::Forward)).await?;
        if midway && i % 3 == 1 {
            demo.summary.in_progress += 1;
            return Ok(demo.summary);
        }
        let (points, recommendation) = recommendation_for(path, i);
        // The accounts `web::demo` makes for Astana's Commission, and the same pattern elsewhere.
        let members: Vec<String> = (1..=3).map(|m| format!("demo-member-{akimat}-{m}")).collect();
        let decision = CaseAction::RecordDecision {
            minutes: format!("{}-{}", d0, i % 100),
            members: members.clone(),
            present: members[..2 + (i % 2) as usize].to_vec(),
            answers: answers(points),
            recommendation: recommendation.clone(),
        };
        demo.run(&commission, demo.at(akimat, d2, 60)?, act(decision)).await?;
        if midway {
            demo.summary.in_progress += 1;
            return Ok(demo.summary);
        }
        if let Recommendation::Refuse { grounds, reasoning } = recommendation {
            let reasoning = if reasoning.is_empty() { format!("{points} points of the 6 required") } else { reasoning };
            demo.run(&officer, demo.at(akimat, d3, 0)?, act(CaseAction::Refuse { grounds, reasoning })).await?;
            demo.summary.refused += 1;
            if path == 5 {
                complain(&mut demo, i, akimat, &case, d3, &applicant, &officer).await?;
            }
            return Ok(demo.summary);
        }
        demo.run(
            &officer,
            demo.at(akimat, d3, 0)?,
            act(CaseAction::Issue { number: rules::case::Unallocated, valid_to: None }),
        )
        .await?;
        demo.summary.issued += 1;
        let certificate = demo
            .store
            .case(&case)
            .await?
            .and_then(|c| match c.outcome {
                Some(rules::case::Outcome::Issued { certificate }) => Some(certificate.number.clone()),
                _ => None,
            })
            .ok_or_else(|| StoreError::Corrupt(format!("{case} has no certificate")))?;
        follow_up(&mut demo, i, path, akimat, d0, &certificate, &holder, &applicant, &officer, &reviewer).await?;
    }
    Ok(demo.summary)
}

/// The refused applicant complains to a reviewing body; the akimat forwards the complaint and
/// it waits for the reviewer's decision (Rules §24, §28).
async fn complain(
    demo: &mut Demo<'_>,
    i: u64,
    akimat: &str,
    case: &CaseNumber,
    refused_on: Date,
    applicant: &Actor,
    officer: &Actor,
) -> Result<(), StoreError> {
    let d3 = refused_on;
    let filing = Filing {
        akimat: akimat.into(),
        complainant: demo_iin(i),
        case: Some(case.clone()),
        target: Target::Decision,
        route: Route::ToReviewingBody,
        body: rules::complaint::ReviewingBody::ALL[(i as usize) % 3],
        text: "My diploma's programme included engineering courses: please read its transcript again".into(),
    };
    let filed = demo.run(applicant, demo.at(akimat, demo.day(d3, 2)?, 0)?, Request::FileComplaint { filing }).await?;
    demo.summary.complaints += 1;
    let number = CaseNumber::parse(&filed.number).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let forward = Request::Complaint { number, expected_version: None, command: ComplaintCommand::Forward };
    demo.run(officer, demo.at(akimat, demo.day(d3, 3)?, 0)?, forward).await?;
    Ok(())
}

/// Applicant `i`'s first application: a complete one for one of five professions, or (path 4)
/// one without the work record, which the akimat does not accept.
async fn first_application(
    store: &Store,
    i: u64,
    akimat: &str,
    path: u64,
) -> Result<(Application, Holder), StoreError> {
    let iin = demo_iin(i);
    let (surname, given) = NAMES[(i % NAMES.len() as u64) as usize];
    let mut documents = vec![
        demo_doc(store, i, DocumentKind::IdentityDocument).await?,
        demo_doc(store, i, DocumentKind::EducationTranslation).await?,
        demo_doc(store, i, DocumentKind::LabourActivityRecord).await?,
    ];
    if path == 4 {
        documents.pop();
    }
    let (profession, sector) =
        [("2512-1", "J"), ("2144-1", "C"), ("2330-1", "P"), ("2211-1", "Q"), ("2142-1", "F")][(i % 5) as usize];
    let holder = Holder {
        iin: iin.clone(),
        surname: surname.into(),
        given_name: given.into(),
        patronymic: None,
        document_number: format!("P{:07}", 1_000_000 + i),
        document_issued_on: jiff::civil::date(2021, 6, 1),
        document_issued_by: "Ministry of Interior".into(),
    };
    let application = Application {
        akimat: akimat.into(),
        service: Service::Issue,
        applicant: holder.clone(),
        representative: None,
        contact: Contact {
            address: format!("{akimat}, street {}", 1 + i % 90),
            phone: format!("+7 701 {:07}", i % 10_000_000),
            fax: None,
            home_address: "abroad".into(),
            home_phone: "+00 000 000".into(),
        },
        profession: Some(profession.into()),
        sector: Some(sector.into()),
        employer: None,
        contract_end: None,
        contract_open_ended: false,
        certificate: None,
        event_date: None,
        consent: true,
        documents,
    };
    Ok((application, holder))
}

/// The Commission's points and recommendation for applicant `i` on path `path`: a refusal
/// on each ground of App.2 item 9 for three paths, an issue for the rest.
fn recommendation_for(path: u64, i: u64) -> (u32, Recommendation) {
    match path {
        5 => (
            7,
            Recommendation::Refuse {
                grounds: vec![Ground::QualificationMismatch],
                reasoning: "The diploma is in economics; the profession requires engineering education".into(),
            },
        ),
        6 => (4, Recommendation::Refuse { grounds: vec![Ground::BelowPassMark], reasoning: String::new() }),
        7 => (
            8,
            Recommendation::Refuse {
                grounds: vec![Ground::UnreliableDocuments],
                reasoning: "The work record's employer has no trace in the issuing country's register".into(),
            },
        ),
        _ => (6 + (i % 4) as u32, Recommendation::issue()),
    }
}

/// Path 11: a labour inspectorate's act revokes the certificate (Rules §21); the holder
/// complains, to the akimat or to a reviewing body, and the complaint is rejected.
#[expect(clippy::too_many_arguments, reason = "one applicant's whole context")]
async fn revoke_and_complain(
    demo: &mut Demo<'_>,
    i: u64,
    akimat: &str,
    d0: Date,
    certificate: &CertificateNumber,
    holder: &Holder,
    applicant: &Actor,
    officer: &Actor,
    reviewer: &Actor,
) -> Result<(), StoreError> {
    let k = demo.day(d0, 20)?;
    let act = ControlAct {
        body: format!("Labour inspectorate, {akimat}"),
        number: format!("LI-{i}"),
        date: demo.day(d0, 19)?,
    };
    demo.run(
        officer,
        demo.at(akimat, k, 0)?,
        Request::Certificate { number: certificate.clone(), command: CertificateCommand::Revoke { act } },
    )
    .await?;
    demo.summary.revoked += 1;
    let filing = Filing {
        akimat: akimat.into(),
        complainant: holder.iin.clone(),
        case: None,
        target: Target::Decision,
        route: if i.is_multiple_of(2) { Route::ToAkimat } else { Route::ToReviewingBody },
        body: rules::complaint::ReviewingBody::ALL[(i as usize / 2) % 3],
        text: "I work in the profession of my certificate; the inspection confused me with another person".into(),
    };
    let route = filing.route;
    let filed = demo.run(applicant, demo.at(akimat, demo.day(d0, 21)?, 0)?, Request::FileComplaint { filing }).await?;
    demo.summary.complaints += 1;
    let number = CaseNumber::parse(&filed.number).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let complaint = |command| Request::Complaint { number: number.clone(), expected_version: None, command };
    let verdict = ComplaintCommand::Decide {
        verdict: Verdict::Rejected,
        reasoning: format!("Act LI-{i} establishes work in another profession"),
    };
    if route == Route::ToReviewingBody {
        demo.run(officer, demo.at(akimat, demo.day(d0, 22)?, 0)?, complaint(ComplaintCommand::Forward)).await?;
        demo.run(reviewer, demo.at(akimat, demo.day(d0, 25)?, 0)?, complaint(verdict)).await?;
    } else {
        demo.run(officer, demo.at(akimat, demo.day(d0, 23)?, 0)?, complaint(verdict)).await?;
    }
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "one applicant's whole context")]
async fn follow_up(
    demo: &mut Demo<'_>,
    i: u64,
    path: u64,
    akimat: &str,
    d0: Date,
    certificate: &CertificateNumber,
    holder: &Holder,
    applicant: &Actor,
    officer: &Actor,
    reviewer: &Actor,
) -> Result<(), StoreError> {
    let employer = Employer {
        name: "Demo Employer LLP".into(),
        id: TaxpayerId::parse("170440000126").map_err(|e| StoreError::Corrupt(e.to_string()))?,
    };
    let service = match path {
        8 => Service::Extend,
        9 => Service::Reissue { ground: ReissueGround::NameChange },
        10 => Service::Duplicate { ground: DuplicateGround::Lost },
        _ => Service::Issue,
    };
    if path == 11 {
        return revoke_and_complain(demo, i, akimat, d0, certificate, holder, applicant, officer, reviewer).await;
    }
    if service == Service::Issue {
        return Ok(());
    }
    let k = demo.day(d0, 15)?;
    let mut applicant_data = holder.clone();
    let mut documents = Vec::new();
    let mut application_employer = None;
    let mut contract_end = None;
    let mut event_date = None;
    match service {
        Service::Extend => {
            documents.push(demo_doc(demo.store, i, DocumentKind::PreviousCertificate).await?);
            documents.push(demo_doc(demo.store, i, DocumentKind::EmploymentContract).await?);
            application_employer = Some(employer);
            contract_end = Some(jiff::civil::date(2027, 12, 31));
        }
        Service::Reissue { .. } => {
            applicant_data.surname = format!("{}-{}", holder.surname, "Abenova");
            documents.push(demo_doc(demo.store, i, DocumentKind::ChangedIdentityDocument).await?);
            event_date = Some(demo.day(d0, 13)?);
        }
        _ => {
            documents.push(demo_doc(demo.store, i, DocumentKind::IdentityDocument).await?);
            documents.push(demo_doc(demo.store, i, DocumentKind::LabourActivityRecord).await?);
            event_date = Some(demo.day(d0, 14)?);
        }
    }
    let application = Application {
        akimat: akimat.into(),
        service,
        applicant: applicant_data,
        representative: None,
        contact: Contact::default(),
        profession: None,
        sector: None,
        employer: application_employer,
        contract_end,
        contract_open_ended: false,
        certificate: Some(certificate.clone()),
        event_date,
        consent: true,
        documents,
    };
    let filed =
        demo.run(applicant, demo.at(akimat, k, 0)?, Request::Submit { application: Box::new(application) }).await?;
    let case = CaseNumber::parse(&filed.number).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let act = |action| Request::Case { number: case.clone(), expected_version: None, action };
    demo.run(officer, demo.at(akimat, k, 60)?, act(CaseAction::Register)).await?;
    let result = match service {
        Service::Extend => CaseAction::Extend { valid_to: None },
        Service::Reissue { .. } => CaseAction::Reissue { number: rules::case::Unallocated },
        _ => CaseAction::IssueDuplicate,
    };
    demo.run(officer, demo.at(akimat, demo.day(d0, 16)?, 0)?, act(result)).await?;
    match service {
        Service::Extend => demo.summary.extended += 1,
        Service::Reissue { .. } => demo.summary.reissued += 1,
        _ => demo.summary.duplicated += 1,
    }
    Ok(())
}

/// A complete issue application from demo applicant `n` to `akimat`, its three documents
/// uploaded by `owner`, who files it (one small PDF): what load tests, benchmarks and tests
/// file.
pub async fn sample_application(store: &Store, n: u64, akimat: &str, owner: &str) -> Result<Application, StoreError> {
    let now = jiff::Timestamp::now().as_millisecond();
    let pdf = store.upload(owner, b"%PDF-1.4\n% qualcert sample document\n%%EOF\n", now).await?;
    let doc = |kind| Document { kind, sha256: pdf.sha256.clone(), file_name: "scan.pdf".into(), valid_until: None };
    Ok(Application {
        akimat: akimat.into(),
        service: Service::Issue,
        applicant: Holder {
            iin: demo_iin(n),
            surname: "Sample".into(),
            given_name: format!("Applicant {n}"),
            patronymic: None,
            document_number: format!("S{n:09}"),
            document_issued_on: jiff::civil::date(2020, 1, 1),
            document_issued_by: "Ministry of Interior".into(),
        },
        representative: None,
        contact: Contact::default(),
        profession: Some("2512-1".into()),
        sector: Some("J".into()),
        employer: None,
        contract_end: None,
        contract_open_ended: false,
        certificate: None,
        event_date: None,
        consent: true,
        documents: vec![
            doc(DocumentKind::IdentityDocument),
            doc(DocumentKind::EducationTranslation),
            doc(DocumentKind::LabourActivityRecord),
        ],
    })
}

/// A document of demo applicant `i`, uploaded by them.
async fn demo_doc(store: &Store, i: u64, kind: DocumentKind) -> Result<Document, StoreError> {
    let bytes = format!("%PDF-1.4\n% qualcert demo document: applicant {i}, {kind:?}\n%%EOF\n");
    let now = jiff::Timestamp::now().as_millisecond();
    let stored = store.upload(&format!("demo-applicant-{i}"), bytes.as_bytes(), now).await?;
    Ok(Document { kind, sha256: stored.sha256, file_name: format!("{kind:?}.pdf"), valid_until: None })
}
