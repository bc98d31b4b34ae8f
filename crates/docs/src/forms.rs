//! The application (App.1), the Commission's minutes and the reasoned refusal as PDFs, in
//! Kazakh and Russian. All three share one layout (`templates/record.typ`): a [`Record`] of
//! labelled values, paragraphs, a table and signature lines, handed to typst as data. The
//! builders here read a [`Case`] and the law in force, so what a PDF says is what the case
//! holds, with every refusal ground's paragraph cited in the reader's language.

use rules::assessment::{Answer, Scale};
use rules::case::{Case, Outcome, Recommendation};
use rules::law::Law;
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

/// The forms' own words (App.1, App.3, the minutes, the refusal) in `lang`, from
/// `locales/{kk,ru}/forms.ftl` through the one speech module. The official forms exist in
/// Kazakh and Russian only, so these messages have no English.
fn tr(lang: Lang, key: &str) -> String {
    rules::speech::say(lang.text(), key, &[])
}

/// A paragraph of the law as a reader of `lang` cites it (`п. 24 Правил`).
fn cite(citation: &'static str, lang: Lang) -> String {
    rules::Citation::new(citation).localized(lang.text())
}

fn signature_note(lang: Lang) -> String {
    tr(lang, "form-01")
}

fn profession(case: &Case, law: &Law, lang: Lang) -> String {
    let Some(code) = &case.application.profession else { return "—".to_owned() };
    match law.profession_name(code, lang.text()) {
        Some(name) => format!("{code} {name}"),
        None => code.clone(),
    }
}

/// The application as filed (App.1), with what was attached and the day it counts as
/// received (App.2 item 7). `signed` names who signed it with a verified EDS and when, as
/// (signer, local time): the form says "signed with EDS" only then, and "not signed"
/// otherwise, so a paper never claims a signature nobody made.
pub fn application(case: &Case, law: &Law, lang: Lang, signed: &[(String, String)]) -> Record {
    let a = &case.application;
    let t = lang.text();
    let h = &a.applicant;
    let mut identity = vec![
        (tr(lang, "form-02"), h.full_name()),
        (tr(lang, "form-03"), h.iin.to_string()),
        (
            tr(lang, "form-04"),
            format!("{}, {}, {}", h.document_number, date(h.document_issued_on), h.document_issued_by),
        ),
        (tr(lang, "form-05"), {
            let c = &a.contact;
            match &c.fax {
                Some(fax) => format!("{}, {}, {fax}", c.address, c.phone),
                None => format!("{}, {}", c.address, c.phone),
            }
        }),
        (tr(lang, "form-06"), format!("{}, {}", a.contact.home_address, a.contact.home_phone)),
    ];
    if let Some(r) = &a.representative {
        identity.push((tr(lang, "form-07"), format!("{}, {} {}", r.name, tr(lang, "form-03"), r.iin)));
    }
    let mut request = vec![(tr(lang, "form-08"), a.service.kind().name(t).to_owned())];
    if a.profession.is_some() {
        request.push((tr(lang, "form-09"), profession(case, law, lang)));
        request.push((
            tr(lang, "form-10"),
            // The sector by name, with its OKED code (issue 11, item 15).
            a.sector
                .as_deref()
                .map(|oked| law.sector_name(oked, t).map_or_else(|| oked.to_owned(), |name| format!("{name} ({oked})")))
                .unwrap_or_default(),
        ));
    }
    if let Some(e) = &a.employer {
        request.push((tr(lang, "form-11"), {
            let id = match &e.id {
                rules::TaxpayerId::Iin(iin) => format!("{} {iin}", tr(lang, "form-03")),
                rules::TaxpayerId::Bin(bin) => format!("{} {bin}", tr(lang, "form-12")),
            };
            format!("{}, {id}", e.name)
        }));
    }
    if let Some(end) = a.contract_end {
        request.push((tr(lang, "form-13"), date(end)));
    }
    if let Some(c) = &a.certificate {
        request.push((tr(lang, "form-14"), c.to_string()));
    }
    if let Some(d) = a.event_date {
        request.push((tr(lang, "form-15"), date(d)));
    }
    let consent = if a.consent { tr(lang, "form-16") } else { tr(lang, "form-17") };
    let attachments = Table {
        widths: vec![1, 6, 6],
        head: vec!["№".to_owned(), tr(lang, "form-18"), tr(lang, "form-19")],
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
        form_note: Some(tr(lang, "form-20")),
        akimat: law.akimat_heading(&a.akimat, t),
        addressee: None,
        title: tr(lang, "form-21"),
        subtitle: format!("№ {} · {} {}", case.number, tr(lang, "form-22"), date(case.received_on)),
        sections: vec![
            Section { rows: identity, ..Section::default() },
            Section { paragraphs: vec![tr(lang, "form-23")], rows: request, ..Section::default() },
            Section { paragraphs: vec![consent], ..Section::default() },
            Section { heading: Some(tr(lang, "form-24")), table: Some(attachments), ..Section::default() },
            // App.1 closes with the date of filing, which may precede the day the
            // application counts as received (App.2 item 7), printed in the subtitle.
            Section { rows: vec![(tr(lang, "form-25"), date(filed_on(case, law)))], ..Section::default() },
        ],
        signatures: vec![(tr(lang, "form-26"), h.full_name())],
        signature_note: match signed {
            [] => tr(lang, "form-54"),
            _ => signed
                .iter()
                .map(|(signer, when)| {
                    let args = [("signer", signer.as_str().into()), ("when", when.as_str().into())];
                    rules::speech::say(lang.text(), "form-55", &args)
                })
                .collect::<Vec<_>>()
                .join("; "),
        },
        footer: Some(format!("{} ({}).", tr(lang, "form-27"), cite("App.2 item 7", lang))),
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
        Answer::YesNo(true) => tr(lang, "form-28"),
        Answer::YesNo(false) => tr(lang, "form-29"),
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
        head: vec![tr(lang, "form-30"), tr(lang, "form-31"), tr(lang, "form-32")],
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
            tr(lang, "form-33"),
            format!("{}: {}", tr(lang, "form-34"), a.pass_mark.value),
            format!("{} / {}", a.total, a.max_total),
        ],
    };
    let recommendation = match &d.recommendation {
        Recommendation::Issue { reasoning } if reasoning.is_empty() => tr(lang, "form-35"),
        Recommendation::Issue { reasoning } => format!("{}. {reasoning}", tr(lang, "form-35")),
        Recommendation::Refuse { grounds, reasoning } => {
            let grounds: Vec<String> = grounds
                .iter()
                .map(|g| format!("{} ({})", g.name(t, law.set_of(case)), g.citation(law.set_of(case)).localized(t)))
                .collect();
            format!("{} {}. {reasoning}", tr(lang, "form-36"), grounds.join("; "))
        }
    };
    let mut sections = vec![
        Section {
            rows: vec![
                (tr(lang, "form-21"), case.number.to_string()),
                (tr(lang, "form-37"), case.application.applicant.full_name()),
                (tr(lang, "form-09"), profession(case, law, lang)),
                (tr(lang, "form-38"), members.join(", ")),
                (tr(lang, "form-39"), present.join(", ")),
            ],
            ..Section::default()
        },
        Section { heading: Some(tr(lang, "form-40")), table: Some(table), ..Section::default() },
        Section { heading: Some(tr(lang, "form-41")), paragraphs: vec![recommendation], ..Section::default() },
    ];
    if a.sample {
        sections.push(Section { paragraphs: vec![tr(lang, "form-42")], ..Section::default() });
    }
    Some(Record {
        lang: lang.tag(),
        form_note: None,
        akimat: law.akimat_heading(&case.application.akimat, t),
        addressee: None,
        title: tr(lang, "form-43"),
        subtitle: format!("№ {} · {}", d.minutes, date(d.on)),
        sections,
        signatures: present.into_iter().map(|p| (tr(lang, "form-44"), p)).collect(),
        signature_note: signature_note(lang),
        footer: None,
    })
}

/// The reasoned refusal (R4.6): each ground with its paragraph, the reasoning, and how to
/// complain (Rules §24, §25), signed by the akimat's authorised person. `None` unless the case
/// was refused.
pub fn refusal(
    case: &Case,
    law: &Law,
    lang: Lang,
    refused_on: jiff::civil::Date,
    signer: &str,
    signed_with: crate::SignedWith,
) -> Option<Record> {
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
            tr(lang, "form-45"),
            case.number,
            a.service.kind().name(t),
            tr(lang, "form-46"),
            date(case.received_on)
        )],
        ..Section::default()
    }];
    if !case.grounds.is_empty() {
        sections.push(Section { heading: Some(tr(lang, "form-47")), paragraphs: grounds, ..Section::default() });
    }
    if let Some(reasons) = case.reasons_in(t) {
        sections.push(Section { heading: Some(tr(lang, "form-48")), paragraphs: vec![reasons], ..Section::default() });
    }
    if let Some(d) = &case.decision {
        sections.push(Section {
            rows: vec![(
                tr(lang, "form-49"),
                format!(
                    "№ {}, {} ({} {} / {})",
                    d.minutes,
                    date(d.on),
                    tr(lang, "form-50"),
                    d.assessment.total,
                    d.assessment.max_total
                ),
            )],
            ..Section::default()
        });
    }
    sections.push(Section {
        heading: Some(tr(lang, "form-51")),
        // R10.1: §25 is the complaint to the akimat itself, reviewed within the rule set's
        // days; §24 names the reviewing bodies. The words are in `forms.ftl`, the numbers and
        // paragraphs from the rule set the case was judged by.
        paragraphs: vec![{
            let review = &law.set_of(case).deadlines.complaint_review;
            rules::speech::say(
                t,
                "refusal-appeal",
                &[
                    ("days", review.working_days.into()),
                    ("review", review.citation.localized(t).into()),
                    ("bodies", cite("Rules §24", lang).into()),
                ],
            )
        }],
        ..Section::default()
    });
    Some(Record {
        lang: lang.tag(),
        form_note: None,
        akimat: law.akimat_heading(&a.akimat, t),
        addressee: Some(format!("{}\n{}", a.applicant.full_name(), a.contact.address)),
        title: tr(lang, "form-52"),
        subtitle: format!("{} · {}", case.number, date(refused_on)),
        sections,
        signatures: vec![(tr(lang, "form-53"), format!("{signer}\n{}", signed_with.phrase(lang)))],
        signature_note: signature_note(lang),
        footer: None,
    })
}
