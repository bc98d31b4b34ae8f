//! The public look-ups shared by the pages and the API, so both answer the same: the status of
//! an application by number and identity document (R3.8), and a certificate by number. The
//! public never sees a name in full.

use jiff::civil::Date;
use rules::Lang;
use rules::case::{ServiceKind, State};
use rules::certificate::Status;
use rules::deadline::DueDate;
use rules::numbers::{CaseNumber, CertificateNumber};
use store::StoreError;

use crate::edge::AppState;

/// What anyone with the case number and the document number may know.
#[derive(Debug, Clone)]
pub struct CaseStatus {
    /// The case number.
    pub number: String,
    /// The service.
    pub service: ServiceKind,
    /// The stage.
    pub state: State,
    /// Received on (App.2 item 7).
    pub received_on: Date,
    /// The current stage's due date with its paragraph.
    pub due: Option<DueDate>,
    /// Past the due date today.
    pub overdue: bool,
    /// Why it was refused or not accepted: what was missing or expired, in the language
    /// asked, and the officer's words.
    pub reasons: Option<String>,
    /// The grounds of a refusal (App.2 item 9), each with its paragraph, in the reader's
    /// language.
    pub grounds: Vec<(String, String)>,
    /// The stage in plain words ("certificate issued"), in the language asked.
    pub status: &'static str,
}

fn normalize(document: &str) -> String {
    document.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}

/// The status of a case, if the identity document number matches its applicant's.
pub(crate) async fn case_status(
    state: &AppState,
    number: &CaseNumber,
    document: &str,
    lang: rules::Lang,
) -> Result<Option<CaseStatus>, StoreError> {
    let Some(case) = state.store.case(number).await? else { return Ok(None) };
    if normalize(&case.application.applicant.document_number) != normalize(document) || normalize(document).is_empty() {
        return Ok(None);
    }
    let today = state.store.today(&case.application.akimat, jiff::Timestamp::now())?;
    let set = state.store.reference().law.set_of(&case);
    let grounds = rules::case::Ground::lines(&case.grounds, set, lang);
    Ok(Some(CaseStatus {
        number: case.number.to_string(),
        service: case.application.service.kind(),
        state: case.state,
        received_on: case.received_on,
        overdue: case.overdue_on(today),
        due: case.due.clone(),
        reasons: case.reasons_in(lang),
        grounds,
        status: case.status_name(lang),
    }))
}

/// A certificate as the public may see it.
#[derive(Debug, Clone)]
pub struct CertificateView {
    /// Its number.
    pub number: String,
    /// Genuine: issued by an akimat through this service.
    pub genuine: bool,
    /// The status today.
    pub status: Status,
    /// The status in words.
    pub status_text: String,
    /// The holder's name, masked.
    pub holder_masked: String,
    /// Occupation code.
    pub profession: String,
    /// Profession name.
    pub profession_name: String,
    /// OKED code of the sector.
    pub sector: String,
    /// The akimat's code.
    pub akimat: String,
    /// The akimat's name.
    pub akimat_name: String,
    /// The akimat as the body that issued it ("акимат города Астаны").
    pub issuer: String,
    /// Date of issue.
    pub issued_on: Date,
    /// Valid from.
    pub valid_from: Date,
    /// Valid to.
    pub valid_to: Date,
    /// Days duplicates were issued (R9.2): the duplicate repeats this certificate's number and
    /// validity (App.3, a Reading), so a verifier learns there is more than one paper.
    pub duplicates: Vec<Date>,
    /// Whether the code from the certificate's QR link (`?t=`) matches its number; absent when
    /// no code was given. A mismatch means the paper in hand was not made by this service.
    pub link_matches: Option<bool>,
    /// The Commission's collegial decision the certificate rests on (issue 36): its minutes'
    /// number, the SHA-256 of the record the members signed, and how many signed. Absent for a
    /// certificate not issued on a decision recorded here (a re-issue).
    pub minutes: Option<MinutesTie>,
}

/// What ties a certificate to the Commission's signed minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesTie {
    /// The minutes' number.
    pub number: String,
    /// SHA-256 (hex) of the record the members signed, when it was signed here.
    pub sha256: Option<String>,
    /// How many members signed it.
    pub signed_by: usize,
}

/// The minutes the decision certificate `c` rests on were recorded in, if any. The minutes'
/// number is the certificate's own basis; a certificate recorded before it kept its basis in
/// parts reads it from its case's decision.
async fn minutes_of(state: &AppState, c: &rules::certificate::Certificate) -> Result<Option<MinutesTie>, StoreError> {
    let number = match &c.basis_of {
        Some(rules::certificate::Basis::Decision { minutes, .. }) => minutes.clone(),
        Some(_) => return Ok(None),
        None => match state.store.case(&c.case).await?.and_then(|case| case.decision) {
            Some(decision) => decision.minutes,
            None => return Ok(None),
        },
    };
    let signed = state.store.minutes_signed(&c.case.to_string()).await?;
    Ok(Some(MinutesTie {
        number,
        sha256: signed.as_ref().map(|(content, _)| docs::sha256_hex(content.as_bytes())),
        signed_by: signed.map_or(0, |(_, n)| n),
    }))
}

/// A certificate by number, described in `lang`.
pub(crate) async fn certificate(
    state: &AppState,
    number: &CertificateNumber,
    lang: Lang,
) -> Result<Option<CertificateView>, StoreError> {
    let Some(c) = state.store.certificate(number).await? else { return Ok(None) };
    let law = &state.store.reference().law;
    let today = state.store.today(&c.akimat, jiff::Timestamp::now())?;
    let status = c.status_on(today);
    let profession_name = law.profession_name(&c.profession, lang).unwrap_or(&c.profession).to_owned();
    let akimat_name = law.akimat_name(&c.akimat, lang);
    Ok(Some(CertificateView {
        number: c.number.to_string(),
        genuine: true,
        status_text: status.describe(lang),
        status,
        holder_masked: c.holder.masked_name(),
        profession: c.profession.clone(),
        profession_name,
        sector: c.sector.clone(),
        akimat: c.akimat.to_string(),
        akimat_name,
        issuer: law.akimat_body(&c.akimat, lang),
        issued_on: c.issued_on,
        valid_from: c.valid_from,
        valid_to: c.valid_to,
        duplicates: c.duplicates.clone(),
        link_matches: None,
        minutes: minutes_of(state, &c).await?,
    }))
}
