//! Issue 33: the order's own words in Kazakh and Russian, one test per finding of the second
//! reading. Each checks the message a person reads, made as the service makes it.

use rules::Lang;
use rules::speech::{Arg, law_numbers, say};

use crate::support::World;

/// The law's numbers, as every page passes them.
fn numbers(w: &World) -> Vec<(&'static str, Arg<'static>)> {
    let set = w.law.rules.in_force_on(jiff::civil::date(2026, 4, 6)).expect("in force");
    law_numbers(set).into_iter().map(|(k, n)| (k, Arg::from(n))).collect()
}

#[test]
fn issue_33_the_commission_decides_within_working_days() {
    let w = World::new();
    let ru = say(Lang::Ru, "home-deadlines", &numbers(&w));
    assert!(ru.contains("Комиссия решает в течение 3 рабочих дней (п. 9 Правил)"), "{ru}");
    let en = say(Lang::En, "home-deadlines", &numbers(&w));
    assert!(en.contains("the Commission decides within 3 working days (Rules §9)"), "{en}");
}

#[test]
fn issue_33_a_certificate_is_a_spravka_and_anyqtama() {
    let ru = say(
        Lang::Ru,
        "apply-for-certificate",
        &[("number", "AST-2026-00001-W".into()), ("profession", "x".into()), ("to", "2026-07-05".into())],
    );
    assert!(ru.contains("действительна до 05.07.2026"), "{ru}");
    let args = [("filed", Arg::from("A")), ("certificate", "B".into()), ("citation", "п. 22 Правил".into())];
    assert!(say(Lang::Ru, "case-name-differs", &args).contains("справка выдана"));
    assert!(!say(Lang::Ru, "case-name-differs", &args).contains("свидетельств"));
    assert!(say(Lang::Kk, "case-name-differs", &args).contains("анықтама"));
    assert!(!say(Lang::Kk, "case-name-differs", &args).contains("куәлік"));
}

#[test]
fn issue_33_the_holder_applies_and_the_akimat_reissues() {
    let w = World::new();
    let en = say(Lang::En, "cert-reissue-needed", &numbers(&w));
    assert!(en.contains("Apply within 5 working days of the change of employer (Rules §22 para 2)"), "{en}");
    assert!(en.contains("re-issues it within 3 working days of your application (Rules §22 para 3)"), "{en}");
    let ru = say(Lang::Ru, "cert-reissue-needed", &numbers(&w));
    assert!(
        ru.contains("Подайте заявление в течение 5 рабочих дней") && ru.contains("в течение 3 рабочих дней"),
        "{ru}"
    );
    let kk = say(Lang::Kk, "cert-reissue-needed", &numbers(&w));
    assert!(kk.contains("5 жұмыс күні ішінде өтініш беріңіз") && kk.contains("3 жұмыс күні ішінде"), "{kk}");
}

#[test]
fn issue_33_documents_name_the_akimat_as_a_body() {
    let w = World::new();
    assert_eq!(w.law.akimat_heading("almaty-city", Lang::Ru), "Акимат города Алматы");
    assert_eq!(w.law.akimat_heading("almaty-city", Lang::Kk), "Алматы қаласының әкімдігі");
    assert_eq!(w.law.akimat_heading("abai", Lang::Kk), "Абай облысының әкімдігі");
}

#[test]
fn issue_33_the_minutes_say_criterion_and_ball() {
    assert_eq!(say(Lang::Kk, "form-30", &[]), "Өлшемшарт");
    let sample = say(Lang::Kk, "form-42", &[]);
    assert!(sample.contains("балдар") && !sample.contains("ұпай"), "{sample}");
}

#[test]
fn issue_33_the_duplicate_date_names_damage() {
    assert!(say(Lang::Ru, "form-15", &[]).contains("порчи"));
    assert!(say(Lang::Kk, "form-15", &[]).contains("бүліну"));
}

#[test]
fn issue_33_dates_are_dotted_with_their_kazakh_case() {
    let status = rules::certificate::Status::Active { valid_to: jiff::civil::date(2026, 7, 5) };
    assert_eq!(status.describe(Lang::Kk), "05.07.2026-ға дейін жарамды");
    assert!(status.describe(Lang::Ru).contains("05.07.2026"), "{}", status.describe(Lang::Ru));
    let refusal = say(Lang::Kk, "reason-window-still-open", &[("due", "2027-03-04".into())]);
    assert!(refusal.contains("04.03.2027-ге дейін"), "{refusal}");
}

#[test]
fn issue_33_the_calculator_says_points() {
    let ru = say(
        Lang::Ru,
        "calc-raise-line",
        &[("criterion", "Опыт".into()), ("answer", "да".into()), ("gain", 2u32.into())],
    );
    assert!(ru.ends_with("даст ещё 2 балла."), "{ru}");
    let five = say(
        Lang::Ru,
        "calc-raise-line",
        &[("criterion", "Опыт".into()), ("answer", "да".into()), ("gain", 5u32.into())],
    );
    assert!(five.ends_with("даст ещё 5 баллов."), "{five}");
}

#[test]
fn issue_33_a_contract_ending_with_the_validity_is_said_as_such() {
    let en = say(Lang::En, "problem-ends-within-validity", &[("field", "contract end".into())]);
    assert!(en.contains("no later than"), "{en}");
    let ru = say(Lang::Ru, "problem-ends-within-validity", &[("field", "срок".into())]);
    assert!(ru.contains("не позже") && !ru.contains("раньше"), "{ru}");
}

#[test]
fn issue_33_the_kazakh_complaint_lead_has_a_verb() {
    let w = World::new();
    let kk = say(Lang::Kk, "complaint-new-lead", &numbers(&w));
    let first = kk.split(". ").next().unwrap_or("");
    assert!(first.contains("шағым беруге болады"), "{kk}");
}

#[test]
fn issue_33_sub_items_are_cited_as_the_act_numbers_them() {
    let c = rules::Citation::new("App.2 item 9.2");
    assert_eq!(c.localized(Lang::Ru), "подп. 2) п. 9 прил. 2 к Правилам");
    assert_eq!(c.localized(Lang::Kk), "Қағидаларға 2-қосымшаның 9-тармағының 2) тармақшасы");
    assert_eq!(rules::Citation::new("App.2 item 9").localized(Lang::Ru), "п. 9 прил. 2 к Правилам");
}
