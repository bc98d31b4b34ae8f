//! One way to speak: every refusal, state, command, ground and status is said in Kazakh and
//! Russian without an English word inside (codes and numbers aside).

use rules::Lang;
use rules::actor::Role;
use rules::case::{CommandKind, Ground, ServiceKind, State};
use rules::certificate::{CertCommandKind, CertState, ControlAct, Status};
use rules::citation::Citation;
use rules::complaint::{ComplaintCommandKind, ComplaintState, ReviewingBody};
use rules::documents::DocumentKind;
use rules::facts::{Act, Field, LawData, Problem, Proceeding, Stage};
use rules::numbers::CertificateNumber;
use rules::refusal::{Reason, Refusal};
use rules::text::{Localized, latin_words};

use crate::support::date;

fn acts() -> Vec<Act> {
    let mut v: Vec<Act> = CommandKind::ALL.into_iter().map(Act::Case).collect();
    v.extend(CertCommandKind::ALL.into_iter().map(Act::Certificate));
    v.extend(ComplaintCommandKind::ALL.into_iter().map(Act::Complaint));
    v
}

fn stages() -> Vec<Stage> {
    let mut v: Vec<Stage> = State::ALL.into_iter().map(Stage::Case).collect();
    v.extend(CertState::ALL.into_iter().map(Stage::Certificate));
    v.extend(ComplaintState::ALL.into_iter().map(Stage::Complaint));
    v
}

fn statuses() -> Vec<Status> {
    let number = CertificateNumber::parse("AST-2026-00001-W").ok();
    let act = ControlAct {
        body: "Еңбек инспекциясы".into(), number: "ЕИ-7".into(), date: date("2026-05-04")
    };
    let mut v = vec![
        Status::Active { valid_to: date("2026-07-05") },
        Status::Extended { valid_to: date("2027-12-31") },
        Status::Revoked { on: date("2026-05-05"), act },
        Status::Expired { on: date("2026-07-05") },
    ];
    if let Some(by) = number {
        v.push(Status::Superseded { by, on: date("2026-05-05") });
    }
    v
}

/// Every variant of [`Reason`], with every value its typed facts can take.
fn every_reason() -> Vec<Reason> {
    let d = date("2026-04-06");
    let question = Localized {
        kk: "Білім деңгейі".into(), ru: "Уровень образования".into(), en: "Education".into()
    };
    let mut v = Vec::new();
    for command in acts() {
        for state in stages() {
            v.push(Reason::NotAtThisStage { command, state });
        }
        for service in ServiceKind::ALL.into_iter().map(Proceeding::Service).chain([Proceeding::ComplaintToAkimat]) {
            v.push(Reason::NotForThisService { command, service });
        }
    }
    v.extend(stages().into_iter().map(|state| Reason::Finished { state }));
    for needed in Role::ALL {
        for actual in Role::ALL {
            v.push(Reason::WrongRole { needed, actual });
        }
    }
    v.push(Reason::OtherAkimat { akimat: "almaty-city".into() });
    v.extend([Reason::NotTheHolder, Reason::NoConsent, Reason::NoGrounds, Reason::NoReasoning]);
    let mut problems = vec![
        Problem::Required,
        Problem::RequiredOrOpenEnded,
        Problem::NoSuchAkimat,
        Problem::InTheFuture,
        Problem::NotFromList,
        Problem::OtherSector,
        Problem::EndsWithinValidity,
        Problem::NewNumberNeeded,
    ];
    problems.extend(DocumentKind::ALL.into_iter().map(|kind| Problem::NotOnChecklist { kind }));
    for field in Field::ALL {
        for problem in &problems {
            v.push(Reason::Field { field, problem: *problem });
        }
    }
    v.push(Reason::ProfessionNotListed { code: "9999-9".into(), date: d, list: "sample-2026".into() });
    v.push(Reason::CertificateUnknown { number: "AST-2026-00001-W".into() });
    for status in statuses() {
        v.push(Reason::CertificateNotValid { number: "AST-2026-00001-W".into(), status: Box::new(status) });
    }
    v.push(Reason::NoQuorum { present: 1, members: 3, needed: 2 });
    v.push(Reason::NotAMember { who: "member-4".into() });
    v.push(Reason::AssessmentIncomplete { unanswered: vec![question.clone()] });
    v.push(Reason::AssessmentInvalid { question: Some(question) });
    v.push(Reason::AssessmentInvalid { question: None });
    v.push(Reason::BelowPassMark { total: 5, pass_mark: 6 });
    v.push(Reason::PassMarkReached { total: 6, pass_mark: 6 });
    for ground in [Ground::QualificationMismatch, Ground::BelowPassMark, Ground::UnreliableDocuments] {
        v.push(Reason::GroundNotForService { ground });
    }
    v.push(Reason::AgainstRecommendation { recommended_issue: true });
    v.push(Reason::AgainstRecommendation { recommended_issue: false });
    v.push(Reason::ValidityTooLong { requested: d, latest: d });
    v.push(Reason::ValidityBeforeStart { requested: d, start: d });
    v.push(Reason::NumberMismatch { number: "AST-2026-00001-W".into() });
    v.push(Reason::NoNotAcceptReason);
    v.push(Reason::SatisfactionWindowPassed { due: d });
    v.push(Reason::NoControlAct);
    v.push(Reason::CalendarData { year: 2031 });
    for what in [LawData::RuleSet, LawData::Criteria, LawData::Catalogue] {
        v.push(Reason::NoRulesInForce { date: d, what });
    }
    v
}

fn assert_plain(text: &str, lang: Lang, what: &str) {
    let latin = latin_words(text);
    assert!(latin.is_empty(), "{what} in {lang:?} has English {latin:?}: {text}");
}

/// Every refusal, with the citations the code gives, reads in Kazakh and Russian alone.
#[test]
fn every_reason_in_kazakh_and_russian_has_no_english() {
    let reasons = every_reason();
    assert!(reasons.len() > 300, "{}", reasons.len());
    let citations = [
        "Rules §3",
        "App.1; Rules §8",
        "Rules §9",
        "Rules §16; App.2 item 3",
        "Rules §22-1 para 3",
        "Rules §24 para 2",
        "Rules",
        "Law on public services art. 25",
        "Administrative Procedural Code art. 100",
        "Labour Code art. 85",
        "Civil Code (a period starts on the day after its event)",
    ];
    for lang in [Lang::Kk, Lang::Ru] {
        for (i, reason) in reasons.iter().enumerate() {
            let citation = Citation::new(citations[i % citations.len()]);
            let refusal = Refusal::new(reason.clone(), citation);
            assert_plain(&refusal.message(lang), lang, &format!("{reason:?}"));
        }
    }
}

/// Every state, command, ground, service, document, body and status a page names.
#[test]
fn every_name_in_kazakh_and_russian_has_no_english() {
    for lang in [Lang::Kk, Lang::Ru] {
        let mut names: Vec<String> = Vec::new();
        names.extend(acts().into_iter().map(|a| a.name(lang).to_owned()));
        names.extend(stages().into_iter().map(|s| s.name(lang).to_owned()));
        names.extend(ServiceKind::ALL.into_iter().map(|s| s.name(lang).to_owned()));
        names.extend(DocumentKind::ALL.into_iter().map(|k| k.name(lang).to_owned()));
        names.extend(ReviewingBody::ALL.into_iter().map(|b| b.name(lang).to_owned()));
        names.extend(Role::ALL.into_iter().map(|r| r.name(lang).to_owned()));
        names.extend(statuses().iter().map(|s| s.describe(lang)));
        let set = rules::RuleBook::embedded().expect("rule sets").sets()[0].clone();
        for g in Ground::ALL {
            names.push(format!("{} [{}]", g.name(lang), g.citation(&set).localized(lang)));
        }
        let d = rules::documents::Completeness {
            missing: set.checklists.requirements(rules::documents::Checklist::Issue, true),
            expired: vec![rules::documents::Expired {
                kind: DocumentKind::IdentityDocument,
                valid_until: Some(date("2026-04-01")),
            }],
        };
        names.push(d.describe(lang));
        for name in names {
            assert_plain(&name, lang, "a name");
        }
    }
}

/// The test's own detector: it finds English words and lets codes pass.
#[test]
fn the_detector_finds_words_not_codes() {
    assert_eq!(latin_words("срок 2026-04-08 [Rules §7]"), vec!["Rules".to_owned()]);
    assert!(latin_words("Z-AST-2026-000001-K: выдача; AST-2026-00001-W, 2512-1").is_empty());
}
