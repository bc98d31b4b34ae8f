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
    v.extend([
        Reason::NotTheHolder,
        Reason::NoConsent,
        Reason::NoGrounds,
        Reason::NoReasoning,
        Reason::NoRecommendation,
    ]);
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
    v.push(Reason::SatisfactionWindowPassed { due: d, days: 3 });
    v.push(Reason::NoControlAct);
    v.push(Reason::WindowClosed { due: jiff::civil::date(2027, 5, 28) });
    v.push(Reason::WindowStillOpen { due: jiff::civil::date(2027, 5, 28) });
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
            names.push(format!("{} [{}] {}", g.name(lang, &set), g.citation(&set).localized(lang), g.label(lang)));
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

/// Every message of the Fluent files exists in all three languages, so no key falls back to
/// English (or to the key itself) in Kazakh or Russian.
#[test]
fn every_message_is_in_all_three_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    let keys = |lang: &str, file: &str| -> std::collections::BTreeSet<String> {
        let text = std::fs::read_to_string(root.join(lang).join(file)).expect("locale file");
        text.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.to_owned()))
            .collect()
    };
    for file in ["main.ftl", "law.ftl"] {
        let en = keys("en", file);
        assert!(en.len() > 50, "{file} has its messages");
        for lang in ["kk", "ru"] {
            let other = keys(lang, file);
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang}/{file}: missing {missing:?}, extra {extra:?}");
        }
    }
    // The official forms exist in Kazakh and Russian only.
    assert_eq!(keys("kk", "forms.ftl"), keys("ru", "forms.ftl"), "forms.ftl in kk and ru");
    assert!(keys("kk", "forms.ftl").len() > 40);
}

/// Numbers in texts come from the rule set, and Russian puts the right plural after each
/// ("3 года", "4 года", "5 лет"; "ниже 1 балла", "ниже 6 баллов"); akimats are named as
/// bodies in the right case ("акимат города Астаны").
#[test]
fn numbers_and_akimats_are_said_with_their_grammar() {
    use rules::speech::{Arg, say};
    let years = |n: u32| say(Lang::Ru, "apply-contract-open-ended", &[("extension-years", Arg::from(n))]);
    assert!(years(3).contains("на 3 года"), "{}", years(3));
    assert!(years(4).contains("на 4 года"), "{}", years(4));
    assert!(years(5).contains("на 5 лет"), "{}", years(5));
    assert!(years(1).contains("на 1 год,"), "{}", years(1));
    let mut set = rules::RuleBook::embedded().expect("rule sets").sets()[0].clone();
    assert!(Ground::BelowPassMark.name(Lang::Ru, &set).ends_with("ниже 6 баллов"));
    assert!(Ground::BelowPassMark.name(Lang::Kk, &set).contains("6 балдан төмен"));
    assert!(Ground::BelowPassMark.name(Lang::En, &set).contains("below 6 points"));
    set.terms.pass_mark_points.value = 1;
    assert!(Ground::BelowPassMark.name(Lang::Ru, &set).ends_with("ниже 1 балла"));
    let days = say(
        Lang::Ru,
        "home-deadlines",
        &rules::speech::law_numbers(&set).iter().map(|(k, n)| (*k, Arg::from(*n))).collect::<Vec<_>>(),
    );
    assert!(days.contains("в течение 2 рабочих дней") && days.contains("не более 5 рабочих дней"), "{days}");
    set.deadlines.forward_to_commission.working_days = 1;
    let days = say(
        Lang::Ru,
        "home-deadlines",
        &rules::speech::law_numbers(&set).iter().map(|(k, n)| (*k, Arg::from(*n))).collect::<Vec<_>>(),
    );
    assert!(days.contains("в течение 1 рабочего дня"), "{days}");
    let quorum = Reason::NoQuorum { present: 1, members: 3, needed: 2 }.message(Lang::Ru);
    assert_eq!(quorum, "присутствует 1 из 3 членов; нужно не менее 2");
    let other = Reason::OtherAkimat { akimat: "astana".into() };
    assert!(other.message(Lang::Ru).ends_with("акимат города Астаны"), "{}", other.message(Lang::Ru));
    assert!(other.message(Lang::Kk).ends_with("Астана қаласының әкімдігі"), "{}", other.message(Lang::Kk));
    let other = Reason::OtherAkimat { akimat: "akmola".into() };
    assert!(other.message(Lang::Ru).ends_with("акимат Акмолинской области"), "{}", other.message(Lang::Ru));
}
