//! The application (App.1), the Commission's minutes and the reasoned refusal as PDFs, in
//! Kazakh and Russian. All three share one layout (`templates/record.typ`): a [`Record`] of
//! labelled values, paragraphs, a table and signature lines, handed to typst as data. The
//! builders here read a [`Case`] and the law in force, so what a PDF says is what the case
//! holds, with every refusal ground's paragraph cited in the reader's language.

use rules::assessment::{Answer, Scale};
use rules::case::{Case, Law, Outcome, Recommendation};
use serde::Serialize;

use crate::SignError;
use crate::pdf::{Doc, Lang, date};

const RECORD: &str = include_str!("../templates/record.typ");

/// A document in the shared layout.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// `kk` or `ru`: hyphenation and quotes follow it.
    pub lang: &'static str,
    /// The form's note at the top right ("Appendix 1 to the Rules. Form").
    pub form_note: Option<String>,
    /// The local executive body.
    pub akimat: String,
    /// To whom, right-aligned under the header (a letter's addressee).
    pub addressee: Option<String>,
    /// The title.
    pub title: String,
    /// Number and date under the title.
    pub subtitle: String,
    /// The body.
    pub sections: Vec<Section>,
    /// Signature lines: (role, name).
    pub signatures: Vec<(String, String)>,
    /// The caption under each signature line.
    pub signature_note: String,
    /// A closing note in small print.
    pub footer: Option<String>,
}

/// A part of a record.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Section {
    /// Its heading.
    pub heading: Option<String>,
    /// Labelled values.
    pub rows: Vec<(String, String)>,
    /// Running text.
    pub paragraphs: Vec<String>,
    /// A table.
    pub table: Option<Table>,
}

/// A table with a header and a footer row.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// Relative column widths.
    pub widths: Vec<u32>,
    /// Column headings.
    pub head: Vec<String>,
    /// The rows, as many cells as headings.
    pub rows: Vec<Vec<String>>,
    /// The footer row, as many cells as headings.
    pub foot: Vec<String>,
}

impl Record {
    /// What identifies this document: SHA-256 over the template and everything it shows.
    /// Equal fingerprints typeset to the same PDF (with the same `ident` and date).
    pub fn fingerprint(&self) -> String {
        let data = serde_json::to_vec(self).unwrap_or_default();
        crate::sha256_hex(&[RECORD.as_bytes(), b"\0", &data].concat())
    }

    /// The record as a PDF/A-2b; `ident` names the document, `on` dates it.
    pub fn render(&self, ident: &str, on: jiff::civil::Date) -> Result<Vec<u8>, SignError> {
        let data = serde_json::to_vec(self).map_err(|e| SignError::Render(e.to_string()))?;
        Doc::new(RECORD, vec![("/data.json", data)]).pdf(ident, on)
    }
}

/// Kazakh or Russian text, chosen by `lang`.
fn tr(lang: Lang, kk: &str, ru: &str) -> String {
    match lang {
        Lang::Kk => kk.to_owned(),
        Lang::Ru => ru.to_owned(),
    }
}

/// A paragraph of the law as a reader of `lang` cites it (`п. 24 Правил`).
fn cite(citation: &'static str, lang: Lang) -> String {
    rules::Citation::new(citation).localized(lang.text())
}

fn signature_note(lang: Lang) -> String {
    tr(lang, "(ЭЦҚ-мен қол қойылды)", "(подписано ЭЦП)")
}

fn profession(case: &Case, law: &Law, lang: Lang) -> String {
    let Some(code) = &case.application.profession else { return "—".to_owned() };
    match law.profession_name(code, lang.text()) {
        Some(name) => format!("{code} {name}"),
        None => code.clone(),
    }
}

/// The application as filed (App.1), with what was attached and the day it counts as
/// received (App.2 item 7).
pub fn application(case: &Case, law: &Law, lang: Lang) -> Record {
    let a = &case.application;
    let t = lang.text();
    let h = &a.applicant;
    let mut identity = vec![
        (
            tr(lang, "Тегі, аты, әкесінің аты (ол болған жағдайда)", "Фамилия, имя, отчество (при наличии)"),
            h.full_name(),
        ),
        (tr(lang, "ЖСН", "ИИН"), h.iin.to_string()),
        (
            tr(
                lang,
                "Паспортының (жеке басын куәландыратын құжатының) №, берілген күні және берген орган",
                "Номер паспорта (документа, удостоверяющего личность), дата выдачи и орган выдачи",
            ),
            format!("{}, {}, {}", h.document_number, date(h.document_issued_on), h.document_issued_by),
        ),
        (tr(lang, "Мекенжайы, телефон, факс", "Адрес, телефон, факс"), {
            let c = &a.contact;
            match &c.fax {
                Some(fax) => format!("{}, {}, {fax}", c.address, c.phone),
                None => format!("{}, {}", c.address, c.phone),
            }
        }),
        (
            tr(lang, "Резидент еліндегі мекенжайы, телефоны", "Адрес и телефон в стране резидентства"),
            format!("{}, {}", a.contact.home_address, a.contact.home_phone),
        ),
    ];
    if let Some(r) = &a.representative {
        identity.push((tr(lang, "Өкіл", "Представитель"), format!("{}, {} {}", r.name, tr(lang, "ЖСН", "ИИН"), r.iin)));
    }
    let mut request =
        vec![(tr(lang, "Көрсетілетін қызмет", "Запрашиваемая услуга"), a.service.kind().name(t).to_owned())];
    if a.profession.is_some() {
        request.push((tr(lang, "Кәсіп", "Профессия"), profession(case, law, lang)));
        request.push((
            tr(
                lang,
                "Экономика саласы (экономикалық қызмет түрі)",
                "Отрасль экономики (вид экономической деятельности)",
            ),
            // The sector by name, with its OKED code (issue 11, item 15).
            a.sector
                .as_deref()
                .map(|oked| law.sector_name(oked, t).map_or_else(|| oked.to_owned(), |name| format!("{name} ({oked})")))
                .unwrap_or_default(),
        ));
    }
    if let Some(e) = &a.employer {
        request.push((
            tr(lang, "Жұмыс беруші (атауы, БСН немесе ЖСН)", "Работодатель (наименование, БИН или ИИН)"),
            {
                let id = match &e.id {
                    rules::TaxpayerId::Iin(iin) => format!("{} {iin}", tr(lang, "ЖСН", "ИИН")),
                    rules::TaxpayerId::Bin(bin) => format!("{} {bin}", tr(lang, "БСН", "БИН")),
                };
                format!("{}, {id}", e.name)
            },
        ));
    }
    if let Some(end) = a.contract_end {
        request.push((tr(lang, "Еңбек шартының соңғы күні", "Последний день трудового договора"), date(end)));
    }
    if let Some(c) = &a.certificate {
        request.push((tr(lang, "Анықтама", "Справка"), c.to_string()));
    }
    if let Some(d) = a.event_date {
        request.push((tr(lang, "Өзгеріс немесе жоғалту күні", "Дата изменения или утраты"), date(d)));
    }
    let consent = if a.consent {
        tr(
            lang,
            "Өз бетінше жұмысқа орналасу үшін біліктілік сәйкестігі туралы анықтама беру үшін қажетті менің дербес деректерімді жинауға және өңдеуге келісім беремін.",
            "Даю согласие на сбор и обработку моих персональных данных, необходимых для выдачи справки о соответствии квалификации для самостоятельного трудоустройства.",
        )
    } else {
        tr(lang, "Дербес деректерді өңдеуге келісім берілмеген.", "Согласие на обработку персональных данных не дано.")
    };
    let attachments = Table {
        widths: vec![1, 6, 6],
        head: vec!["№".to_owned(), tr(lang, "Құжат", "Документ"), tr(lang, "Файл", "Файл")],
        rows: a
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| vec![format!("{})", i + 1), d.kind.name(t).to_owned(), d.file_name.clone()])
            .collect(),
        foot: Vec::new(),
    };
    Record {
        lang: lang.tag(),
        form_note: Some(tr(lang, "Қағидаларға 1-қосымша. Нысан", "Приложение 1 к Правилам. Форма")),
        akimat: law.akimat_name(&a.akimat, t),
        addressee: None,
        title: tr(lang, "Өтініш", "Заявление"),
        subtitle: format!(
            "№ {} · {} {}",
            case.number,
            tr(lang, "қабылданған күні", "дата приёма"),
            date(case.received_on)
        ),
        sections: vec![
            Section { rows: identity, ..Section::default() },
            Section {
                paragraphs: vec![tr(
                    lang,
                    "Халықтың көші-қон мәселелері жөніндегі уәкілетті органның бұйрығымен бекітілген тізбеге сәйкес мамандығы бойынша өз бетінше жұмысқа орналасу үшін біліктілік сәйкестігі туралы анықтама беруді/ұзартуды/қайта рәсімдеуді/телнұсқасын беруді сұраймын:",
                    "Прошу выдать/продлить/переоформить/выдать дубликат справки о соответствии квалификации для самостоятельного трудоустройства по профессии согласно перечню, утверждённому приказом уполномоченного органа по вопросам миграции населения:",
                )],
                rows: request,
                ..Section::default()
            },
            Section { paragraphs: vec![consent], ..Section::default() },
            Section {
                heading: Some(tr(lang, "Өтінішке қоса беріледі", "К заявлению прилагаются")),
                table: Some(attachments),
                ..Section::default()
            },
            // App.1 closes with the date of filing, which may precede the day the
            // application counts as received (App.2 item 7), printed in the subtitle.
            Section {
                rows: vec![(tr(lang, "Өтініш берілген күн", "Дата подачи заявления"), date(filed_on(case, law)))],
                ..Section::default()
            },
        ],
        signatures: vec![(tr(lang, "Өтініш берушінің қолы", "Подпись заявителя"), h.full_name())],
        signature_note: signature_note(lang),
        footer: Some(format!(
            "{} ({}).",
            tr(
                lang,
                "Өтініш жұмыс уақытынан кейін, демалыс немесе мереке күндері берілсе, келесі жұмыс күні қабылданған болып есептеледі",
                "Заявление, поданное после окончания рабочего времени, в выходные или праздничные дни, считается принятым следующим рабочим днём",
            ),
            cite("App.2 item 7", lang)
        )),
    }
}

/// The date of filing on the akimat's clock.
fn filed_on(case: &Case, law: &Law) -> jiff::civil::Date {
    let zone = law
        .akimat(&case.application.akimat)
        .and_then(|a| jiff::tz::TimeZone::get(&a.zone).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    case.filed_on(&zone)
}

fn answer_text(case: &Case, law: &Law, lang: Lang, criterion: &str, answer: Option<&Answer>) -> String {
    let Some(answer) = answer else { return "—".to_owned() };
    match answer {
        Answer::YesNo(true) => tr(lang, "иә", "да"),
        Answer::YesNo(false) => tr(lang, "жоқ", "нет"),
        Answer::Years(n) => rules::speech::say(lang.text(), "years-count", &[("n", (*n).into())]),
        Answer::Choice(id) => law
            .for_case(case)
            .ok()
            .and_then(|f| f.criteria.criteria.iter().find(|c| c.id == criterion))
            .and_then(|c| match &c.scale {
                Scale::Choice { options } => {
                    options.iter().find(|o| &o.id == id).map(|o| o.label.get(lang.text()).to_owned())
                }
                _ => None,
            })
            .unwrap_or_else(|| id.clone()),
    }
}

/// The Commission's minutes on one applicant (R4.4): the members and those present, the score
/// by criterion against the pass mark (App.2 item 9.2), and the recommendation. Members are
/// recorded by account; `names` gives each one's name (an unknown one shows as recorded).
/// `None` before the Commission decided.
pub fn minutes(
    case: &Case,
    law: &Law,
    lang: Lang,
    names: &std::collections::BTreeMap<String, String>,
) -> Option<Record> {
    let d = case.decision.as_ref()?;
    let name = |id: &String| names.get(id).cloned().unwrap_or_else(|| id.clone());
    let members: Vec<String> = d.members.iter().map(name).collect();
    let present: Vec<String> = d.present.iter().map(name).collect();
    let t = lang.text();
    let a = &d.assessment;
    let table = Table {
        widths: vec![7, 4, 2],
        head: vec![tr(lang, "Өлшем", "Критерий"), tr(lang, "Жауап", "Ответ"), tr(lang, "Балл", "Баллы")],
        rows: a
            .lines
            .iter()
            .map(|l| {
                vec![
                    format!("{} ({})", l.question.get(t), l.citation.localized(t)),
                    answer_text(case, law, lang, &l.criterion, l.answer.as_ref()),
                    format!("{} / {}", l.points, l.max_points),
                ]
            })
            .collect(),
        foot: vec![
            tr(lang, "Барлығы", "Итого"),
            format!("{}: {}", tr(lang, "өту шегі", "проходной балл"), a.pass_mark.value),
            format!("{} / {}", a.total, a.max_total),
        ],
    };
    let recommendation = match &d.recommendation {
        Recommendation::Issue => tr(
            lang,
            "Біліктілік сәйкестігі туралы анықтама беру ұсынылады.",
            "Рекомендовать выдачу справки о соответствии квалификации.",
        ),
        Recommendation::Refuse { grounds, reasoning } => {
            let grounds: Vec<String> = grounds
                .iter()
                .map(|g| format!("{} ({})", g.name(t, law.set_of(case)), g.citation(law.set_of(case)).localized(t)))
                .collect();
            format!(
                "{} {}. {reasoning}",
                tr(lang, "Анықтама беруден бас тарту ұсынылады:", "Рекомендовать отказ в выдаче справки:"),
                grounds.join("; ")
            )
        }
    };
    let mut sections = vec![
        Section {
            rows: vec![
                (tr(lang, "Өтініш", "Заявление"), case.number.to_string()),
                (tr(lang, "Өтініш беруші", "Заявитель"), case.application.applicant.full_name()),
                (tr(lang, "Кәсіп", "Профессия"), profession(case, law, lang)),
                (tr(lang, "Комиссия мүшелері", "Члены Комиссии"), members.join(", ")),
                (tr(lang, "Қатысқандар", "Присутствовали"), present.join(", ")),
            ],
            ..Section::default()
        },
        Section {
            heading: Some(tr(lang, "Бағалау нәтижелері", "Результаты оценки")),
            table: Some(table),
            ..Section::default()
        },
        Section {
            heading: Some(tr(lang, "Шешім", "Решение")), paragraphs: vec![recommendation], ..Section::default()
        },
    ];
    if a.sample {
        sections.push(Section {
            paragraphs: vec![tr(
                lang,
                "ҮЛГІ: бағалау өлшемдерінің ресми кестесі жүктелмеген; бұл ұпайлар үлгі кесте бойынша есептелген.",
                "ОБРАЗЕЦ: официальная таблица критериев оценки не загружена; баллы рассчитаны по образцу.",
            )],
            ..Section::default()
        });
    }
    Some(Record {
        lang: lang.tag(),
        form_note: None,
        akimat: law.akimat_name(&case.application.akimat, t),
        addressee: None,
        title: tr(lang, "Комиссия отырысының хаттамасы", "Протокол заседания Комиссии"),
        subtitle: format!("№ {} · {}", d.minutes, date(d.on)),
        sections,
        signatures: present.into_iter().map(|p| (tr(lang, "Комиссия мүшесі", "Член Комиссии"), p)).collect(),
        signature_note: signature_note(lang),
        footer: None,
    })
}

/// The reasoned refusal (R4.6): each ground with its paragraph, the reasoning, and how to
/// complain (Rules §24, §25), signed by the akimat's authorised person. `None` unless the case
/// was refused.
pub fn refusal(case: &Case, law: &Law, lang: Lang, refused_on: jiff::civil::Date, signer: &str) -> Option<Record> {
    if case.state != rules::case::State::Refused || matches!(case.outcome, Some(Outcome::Issued { .. })) {
        return None;
    }
    let t = lang.text();
    let a = &case.application;
    let grounds: Vec<String> = case
        .grounds
        .iter()
        .enumerate()
        .map(|(i, g)| {
            format!("{}) {} ({}).", i + 1, g.name(t, law.set_of(case)), g.citation(law.set_of(case)).localized(t))
        })
        .collect();
    let mut sections = vec![Section {
        paragraphs: vec![format!(
            "{} {} ({}) {} {}.",
            tr(lang, "Сіздің", "Ваше заявление"),
            case.number,
            a.service.kind().name(t),
            tr(
                lang,
                "өтінішіңіз бойынша мемлекеттік қызмет көрсетуден бас тартылды, қабылданған күні",
                "рассмотрено; в оказании государственной услуги отказано. Дата приёма"
            ),
            date(case.received_on)
        )],
        ..Section::default()
    }];
    if !case.grounds.is_empty() {
        sections.push(Section {
            heading: Some(tr(lang, "Бас тарту негіздері", "Основания отказа")),
            paragraphs: grounds,
            ..Section::default()
        });
    }
    if let Some(reasons) = case.reasons_in(t) {
        sections.push(Section {
            heading: Some(tr(lang, "Дәлелді негіздеме", "Мотивированное обоснование")),
            paragraphs: vec![reasons],
            ..Section::default()
        });
    }
    if let Some(d) = &case.decision {
        sections.push(Section {
            rows: vec![(
                tr(lang, "Комиссия хаттамасы", "Протокол Комиссии"),
                format!(
                    "№ {}, {} ({} {} / {})",
                    d.minutes,
                    date(d.on),
                    tr(lang, "балл", "баллов"),
                    d.assessment.total,
                    d.assessment.max_total
                ),
            )],
            ..Section::default()
        });
    }
    sections.push(Section {
        heading: Some(tr(lang, "Шағымдану тәртібі", "Порядок обжалования")),
        paragraphs: vec![match lang {
            // R10.1: §25 is the complaint to the akimat itself (reviewed in 5 working days);
            // §24 names the reviewing bodies: the higher administrative body, an official, and
            // the authorised body for the quality of public services.
            Lang::Kk => format!(
                "Шешімге мемлекеттік қызмет көрсеткен жергілікті атқарушы органның өзіне шағым беруге болады, ол тіркелген күннен бастап 5 жұмыс күні ішінде қаралады ({}). Шағымды сондай-ақ жоғары тұрған әкімшілік орган, лауазымды адам немесе мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті орган қарайды ({}); шағым осы органға жергілікті атқарушы орган арқылы жіберіледі. Сотқа да шағымдануға болады.",
                cite("Rules §25", lang),
                cite("Rules §24", lang)
            ),
            Lang::Ru => format!(
                "Решение может быть обжаловано в сам местный исполнительный орган, оказавший услугу; жалоба рассматривается в течение 5 рабочих дней со дня её регистрации ({}). Жалобу также рассматривают вышестоящий административный орган, должностное лицо или уполномоченный орган по оценке и контролю за качеством оказания государственных услуг ({}); она направляется им через местный исполнительный орган. Решение может быть обжаловано и в суд.",
                cite("Rules §25", lang),
                cite("Rules §24", lang)
            ),
        }],
        ..Section::default()
    });
    Some(Record {
        lang: lang.tag(),
        form_note: None,
        akimat: law.akimat_name(&a.akimat, t),
        addressee: Some(format!("{}\n{}", a.applicant.full_name(), a.contact.address)),
        title: tr(
            lang,
            "Мемлекеттік қызмет көрсетуден дәлелді бас тарту",
            "Мотивированный отказ в оказании государственной услуги",
        ),
        subtitle: format!("{} · {}", case.number, date(refused_on)),
        sections,
        signatures: vec![(tr(lang, "Уәкілетті тұлға", "Уполномоченное лицо"), signer.to_owned())],
        signature_note: signature_note(lang),
        footer: None,
    })
}
