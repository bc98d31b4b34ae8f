//! What a step makes: the application an `apply` step files (a complete sample unless the
//! step says otherwise), and a certificate obtained through the whole service.

use jiff::Timestamp;
use jiff::civil::Date;
use rules::case::{
    Application, CaseAction, Contact, DuplicateGround, Ground, Recommendation, ReissueGround, Representative, Service,
};
use rules::certificate::{CertificateCommand, ControlAct};
use rules::complaint::{ComplaintCommand, Filing, ReviewingBody, Route, Target, Verdict};
use rules::documents::{Document, DocumentKind};
use rules::ids::Iin;
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::{Actor, Lang};
use toml::Table;

use super::stage::Fields;
use super::stage::Stage;
use super::stage::answers_for;
use super::stage::employer;
use super::stage::ground;
use super::stage::kebab;
use crate::demo::demo_iin;
use store::Request;

/// The request a step makes; `None` for `check`, which only judges.
pub(crate) async fn build(
    stage: &mut Stage<'_>,
    action: &str,
    f: &mut Fields,
    at: Timestamp,
    actor: &Actor,
) -> Result<Option<Request>, String> {
    let step = f.step.clone();
    let case_act = |stage: &Stage<'_>, action: CaseAction| -> Result<Option<Request>, String> {
        Ok(Some(Request::Case { number: stage.case_number(&step)?, expected_version: None, action }))
    };
    let today = stage.local_date(at)?;
    match action {
        "check" => Ok(None),
        "apply" => apply(stage, f, today, &actor.id).await.map(|a| Some(Request::Submit { application: Box::new(a) })),
        "register" => case_act(stage, CaseAction::Register),
        "forward" => case_act(stage, CaseAction::Forward),
        "not-accept" => {
            let kinds = |v: Option<Vec<String>>| -> Result<Vec<DocumentKind>, String> {
                v.unwrap_or_default().iter().map(|k| kebab("document kind", k)).collect()
            };
            let missing = kinds(f.list("missing")?)?;
            let expired = kinds(f.list("expired")?)?;
            let note = f.text("note")?.unwrap_or_default();
            case_act(stage, CaseAction::NotAccept { missing, expired, note })
        }
        "decide" => {
            let action = decision(stage, f, today, &step).await?;
            case_act(stage, action)
        }
        "issue" => {
            let valid_to = f.date("valid_to")?;
            case_act(stage, CaseAction::Issue { number: rules::case::Unallocated, valid_to })
        }
        "extend" => {
            let valid_to = f.date("valid_to")?;
            case_act(stage, CaseAction::Extend { valid_to })
        }
        "reissue" => case_act(stage, CaseAction::Reissue { number: rules::case::Unallocated }),
        "duplicate" => case_act(stage, CaseAction::IssueDuplicate),
        "close" => case_act(stage, CaseAction::Close),
        "refuse" => {
            let grounds = f.list("grounds")?.unwrap_or_default().iter().map(|g| ground(g)).collect::<Result<_, _>>()?;
            let reasoning = f.text("reasoning")?.unwrap_or_else(|| "As the Commission found".into());
            case_act(stage, CaseAction::Refuse { grounds, reasoning })
        }
        "revoke" => {
            let act = ControlAct {
                body: f.text("act_body")?.unwrap_or_else(|| "Астана қаласының еңбек инспекциясы".into()),
                number: f.text("act_number")?.unwrap_or_else(|| "ЕИ-1".into()),
                date: f.date("act_date")?.unwrap_or(today),
            };
            let number = stage.certificate_number(&step)?;
            Ok(Some(Request::Certificate { number, command: CertificateCommand::Revoke { act } }))
        }
        "notify-new-employer" => {
            let contract_date = f.date("contract_date")?.ok_or_else(|| format!("{step}: `contract_date` is needed"))?;
            let employer = employer(f)?;
            let number = stage.certificate_number(&step)?;
            Ok(Some(Request::Certificate {
                number,
                command: CertificateCommand::NotifyNewEmployer { contract_date, employer },
            }))
        }
        "notify-contract-end" => {
            let end_date = f.date("end_date")?.ok_or_else(|| format!("{step}: `end_date` is needed"))?;
            let number = stage.certificate_number(&step)?;
            Ok(Some(Request::Certificate { number, command: CertificateCommand::NotifyContractEnd { end_date } }))
        }
        "complain" => complaint(stage, f, actor, &step).map(Some),
        "forward-complaint" | "satisfy-complaint" | "decide-complaint" => {
            let number = stage.complaint.clone().ok_or_else(|| format!("{step}: no complaint has been filed yet"))?;
            let command = match action {
                "forward-complaint" => ComplaintCommand::Forward,
                "satisfy-complaint" => ComplaintCommand::Satisfy {
                    action: f.text("action")?.unwrap_or_else(|| "The decision was corrected".into()),
                },
                _ => ComplaintCommand::Decide {
                    verdict: kebab::<Verdict>(
                        "verdict (upheld, partly-upheld, rejected)",
                        &f.text("verdict")?.unwrap_or("rejected".into()),
                    )?,
                    reasoning: f.text("reasoning")?.unwrap_or_else(|| "Reviewed on the case file".into()),
                },
            };
            Ok(Some(Request::Complaint { number, expected_version: None, command }))
        }
        other => Err(format!("{step}: unknown `do = \"{other}\"`; see docs/scenarios.md")),
    }
}

/// A `decide` step's minutes: answers that give the story's points by the criteria the case is
/// judged by, the recommendation, and the members present.
async fn decision(stage: &Stage<'_>, f: &mut Fields, today: Date, step: &str) -> Result<CaseAction, String> {
    let points = f.number("points")?.unwrap_or(7);
    let case = stage.current_case().await?.ok_or_else(|| format!("{step}: no application yet"))?;
    let law = &stage.store.reference().law;
    let criteria = law.for_case(&case).map_err(|r| r.message(Lang::En))?.criteria;
    let answers = answers_for(criteria, points)
        .ok_or_else(|| format!("{step}: no answers to the criteria in force give {points} points"))?;
    let pass = law.for_case(&case).map_err(|r| r.message(Lang::En))?.rules.terms.pass_mark_points.value;
    let recommend = f.text("recommend")?.unwrap_or_else(|| if points >= pass { "issue" } else { "refuse" }.into());
    let recommendation = match recommend.as_str() {
        "issue" => Recommendation::issue(),
        "refuse" => Recommendation::Refuse {
            grounds: match f.list("grounds")? {
                Some(g) => g.iter().map(|g| ground(g)).collect::<Result<_, _>>()?,
                None => vec![Ground::BelowPassMark],
            },
            reasoning: f.text("reasoning")?.unwrap_or_else(|| format!("{points} points of the {pass} required")),
        },
        other => return Err(format!("{step}: `recommend` is issue or refuse, not {other:?}")),
    };
    let members = f.number("members")?.unwrap_or(3);
    let present = f.number("present")?.unwrap_or(members);
    let names: Vec<String> = (1..=members).map(|m| format!("member-{m}")).collect();
    let mut present_names: Vec<String> = names.iter().take(present as usize).cloned().collect();
    if let Some(outsider) = f.text("present_outsider")? {
        present_names.push(outsider);
    }
    Ok(CaseAction::RecordDecision {
        minutes: f.text("minutes")?.unwrap_or_else(|| format!("M-{today}")),
        members: names,
        present: present_names,
        answers,
        recommendation,
    })
}

/// A `complain` step's complaint, by the applicant who acts in it.
fn complaint(stage: &Stage<'_>, f: &mut Fields, actor: &Actor, step: &str) -> Result<Request, String> {
    let route = match f.text("route")?.as_deref() {
        None | Some("akimat") => Route::ToAkimat,
        Some("reviewing-body") => Route::ToReviewingBody,
        Some(other) => return Err(format!("{step}: `route` is akimat or reviewing-body, not {other:?}")),
    };
    let body = match f.text("body")? {
        Some(b) => ReviewingBody::parse(&b).ok_or_else(|| format!("{step}: no reviewing body {b:?}"))?,
        None => ReviewingBody::default(),
    };
    let target: Target = kebab("target (decision, action, inaction)", &f.text("target")?.unwrap_or("decision".into()))?;
    let iin = actor.iin.clone().ok_or_else(|| format!("{step}: only an applicant complains"))?;
    Ok(Request::FileComplaint {
        filing: Filing {
            akimat: f.text("akimat")?.unwrap_or_else(|| stage.cast.akimat.clone()).into(),
            complainant: iin,
            case: stage.case.clone(),
            target,
            route,
            body,
            text: f.text("text")?.unwrap_or_else(|| "The decision is wrong".into()),
        },
    })
}

/// The service a step applies for, with its ground (`service`, `ground`).
fn service_asked(f: &mut Fields, step: &str) -> Result<Service, String> {
    let service_name = f.text("service")?.unwrap_or_else(|| "issue".into());
    let ground_name = f.text("ground")?;
    Ok(match service_name.as_str() {
        "issue" => Service::Issue,
        "extension" | "extend" => Service::Extend,
        "reissue" => Service::Reissue {
            ground: kebab::<ReissueGround>("re-issue ground", ground_name.as_deref().unwrap_or("name-change"))?,
        },
        "duplicate" => Service::Duplicate {
            ground: kebab::<DuplicateGround>("duplicate ground", ground_name.as_deref().unwrap_or("lost"))?,
        },
        other => return Err(format!("{step}: `service` is issue, extension, reissue or duplicate, not {other:?}")),
    })
}

/// The documents a step attaches: those it names, or one of each line of the service's
/// checklist (and the power of attorney of a representative), each stored as an upload.
async fn documents_of(
    stage: &Stage<'_>,
    f: &mut Fields,
    service: Service,
    today: Date,
    owner: &str,
) -> Result<Vec<Document>, String> {
    let kinds: Vec<DocumentKind> = match f.list("documents")? {
        Some(list) => list.iter().map(|k| kebab("document kind", k)).collect::<Result<_, _>>()?,
        None => {
            let law = &stage.store.reference().law;
            let set = law.in_force_on(today).map_err(|r| r.message(Lang::En))?.rules;
            let mut k: Vec<DocumentKind> =
                set.checklists.list(service.checklist()).iter().map(|r| r.any_of[0]).collect();
            if stage.cast.representative.is_some() {
                k.push(DocumentKind::PowerOfAttorney);
            }
            k
        }
    };
    let identity_valid_until = f.date("identity_valid_until")?;
    let mut documents = Vec::new();
    for kind in kinds {
        let bytes = format!("%PDF-1.4\n% scenario document {kind:?}\n%%EOF\n");
        let blob = stage.store.upload(owner, bytes.as_bytes(), 0).await.map_err(|e| e.to_string())?;
        let valid_until = match kind {
            DocumentKind::IdentityDocument | DocumentKind::ChangedIdentityDocument => identity_valid_until,
            _ => None,
        };
        documents.push(Document { kind, sha256: blob.sha256, file_name: format!("{kind:?}.pdf"), valid_until });
    }
    Ok(documents)
}

/// `obtain-certificate`: the whole issue path (apply, register, forward, decide with 7
/// points, issue) a minute apart from `at`, for stories about what comes after. Every step
/// must be applied; a refusal here is the scenario's error, not an expectation.
pub(crate) async fn obtain_certificate(stage: &mut Stage<'_>, f: &mut Fields, at: Timestamp) -> Result<(), String> {
    let step = f.step.clone();
    let valid_to = f.date("valid_to")?;
    let mut apply_fields = Fields { table: Table::new(), step: step.clone() };
    let today = stage.local_date(at)?;
    let applicant = stage.cast.actor("applicant")?;
    let application = apply(stage, &mut apply_fields, today, &applicant.id).await?;
    let officer = stage.cast.actor("officer")?;
    let commission = stage.cast.actor("commission")?;
    let minute = |k: i64| at.checked_add(jiff::SignedDuration::from_mins(k)).map_err(|e| e.to_string());
    let applied = stage
        .store
        .execute(applicant, minute(0)?, Request::Submit { application: Box::new(application) }, None)
        .await
        .map_err(|e| format!("{step}: applying: {e}"))?;
    let number = CaseNumber::parse(&applied.number).map_err(|e| e.to_string())?;
    stage.case = Some(number.clone());
    let mut decision_fields = Fields { table: Table::new(), step: step.clone() };
    let decide = build(stage, "decide", &mut decision_fields, at, &commission).await?;
    let actions = [
        (
            officer.clone(),
            Some(Request::Case { number: number.clone(), expected_version: None, action: CaseAction::Register }),
        ),
        (
            officer.clone(),
            Some(Request::Case { number: number.clone(), expected_version: None, action: CaseAction::Forward }),
        ),
        (commission, decide),
        (
            officer,
            Some(Request::Case {
                number,
                expected_version: None,
                action: CaseAction::Issue { number: rules::case::Unallocated, valid_to },
            }),
        ),
    ];
    for (k, (actor, request)) in (1i64..).zip(actions) {
        let request = request.ok_or_else(|| format!("{step}: no decision to record"))?;
        stage.store.execute(actor, minute(k)?, request, None).await.map_err(|e| format!("{step}: {e}"))?;
    }
    stage.remember_certificate().await
}

/// The application of an `apply` step: a complete sample for the service unless the step says
/// otherwise.
/// Its documents are uploaded by `owner`, who files it.
pub(crate) async fn apply(
    stage: &mut Stage<'_>,
    f: &mut Fields,
    today: Date,
    owner: &str,
) -> Result<Application, String> {
    let step = f.step.clone();
    let service = service_asked(f, &step)?;
    let mut applicant = stage.cast.applicant.clone();
    if let Some(s) = f.text("new_surname")? {
        applicant.surname = s;
    } else if matches!(service, Service::Reissue { ground: ReissueGround::NameChange }) {
        applicant.surname = format!("{}-Abenova", applicant.surname);
    }
    if let Some(mut r) = f.table("representative")? {
        let name = r.text("name")?.unwrap_or_else(|| "Aigerim Nurlanovna Sapar".into());
        let iin = match r.text("iin")? {
            Some(i) => Iin::parse(&i).map_err(|e| format!("{step}: representative `iin`: {e}"))?,
            None => demo_iin(8_888),
        };
        r.finish()?;
        stage.cast.representative = Some(Representative { name, iin });
    }
    let documents = documents_of(stage, f, service, today, owner).await?;
    let certificate = match f.text("certificate")? {
        Some(n) => Some(CertificateNumber::parse(&n).map_err(|e| format!("{step}: `certificate`: {e}"))?),
        None if service != Service::Issue => stage.certificate.clone(),
        None => None,
    };
    let open_ended = f.boolean("contract_open_ended")?.unwrap_or(false);
    let mut contract_end = f.date("contract_end")?;
    let needs_employer =
        matches!(service, Service::Extend | Service::Reissue { ground: ReissueGround::EmployerChange });
    if service == Service::Extend && contract_end.is_none() && !open_ended {
        // A sample contract running a year past the current validity.
        if let Some(n) = &certificate
            && let Some(c) = stage.store.certificate(n).await.map_err(|e| e.to_string())?
        {
            contract_end = c.valid_to.checked_add(jiff::Span::new().years(1)).ok();
        }
    }
    let employer_given = f.table("employer_details")?;
    let without_employer = f.boolean("without_employer")?.unwrap_or(false);
    let employer = if without_employer {
        None
    } else if needs_employer || employer_given.is_some() {
        let mut e = employer_given.unwrap_or(Fields { table: Table::new(), step: step.clone() });
        let emp = employer(&mut e)?;
        e.finish()?;
        Some(emp)
    } else {
        None
    };
    let event_date = match (f.date("event_date")?, service) {
        (Some(d), _) => Some(d),
        (None, Service::Reissue { .. } | Service::Duplicate { .. }) => Some(today),
        (None, _) => None,
    };
    let (profession, sector) = match service {
        Service::Issue => (
            Some(f.text("profession")?.unwrap_or_else(|| "2512-1".into())),
            Some(f.text("sector")?.unwrap_or_else(|| "J".into())),
        ),
        _ => (f.text("profession")?, f.text("sector")?),
    };
    Ok(Application {
        akimat: f.text("akimat")?.unwrap_or_else(|| stage.cast.akimat.clone()).into(),
        service,
        applicant,
        representative: stage.cast.representative.clone(),
        contact: Contact {
            address: "Astana, Mangilik El avenue 8".into(),
            phone: "+7 701 000 0000".into(),
            fax: None,
            home_address: "Tashkent, Amir Temur street 1".into(),
            home_phone: "+998 71 000 0000".into(),
        },
        profession,
        sector,
        employer,
        contract_end,
        contract_open_ended: open_ended,
        certificate,
        event_date,
        consent: f.boolean("consent")?.unwrap_or(true),
        documents,
    })
}
