//! Who may see what: one place for the access rules of pages and API alike. An applicant
//! sees their own; an akimat's staff see their akimat's; the reviewing body sees complaints;
//! the administrator sees all. Acting is then up to the rules (role, table, akimat).

use rules::certificate::Certificate;
use rules::complaint::Complaint;
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::{Case, Role};
use store::User;

/// The case `number` if `user` may see it; otherwise 404, the same as for a case that does
/// not exist, so a page never says whether someone else's case exists. A read by staff is
/// recorded for the people the case is about (`seen`).
pub(crate) async fn visible_case(
    store: &store::Store,
    user: &User,
    number: &str,
) -> Result<Case, crate::edge::error::PageError> {
    let Ok(number) = number.parse::<CaseNumber>() else { return Err(crate::edge::error::PageError::not_found()) };
    match store.case(&number).await? {
        Some(c) if case(user, &c) => {
            seen(store, user, &format!("case/{number}"), &case_people(&c));
            Ok(c)
        }
        _ => Err(crate::edge::error::PageError::not_found()),
    }
}

/// The certificate `number` if `user` may see it in full, else 404; a read by staff is
/// recorded for its holder (`seen`).
pub(crate) async fn visible_certificate(
    store: &store::Store,
    user: &User,
    number: &str,
) -> Result<Certificate, crate::edge::error::PageError> {
    let Ok(number) = number.parse::<CertificateNumber>() else {
        return Err(crate::edge::error::PageError::not_found());
    };
    match store.certificate(&number).await? {
        Some(c) if certificate(user, &c) => {
            seen(store, user, &format!("certificate/{number}"), &[c.holder.iin.to_string()]);
            Ok(c)
        }
        _ => Err(crate::edge::error::PageError::not_found()),
    }
}

/// The people a case is about: its applicant and the person who filed for them.
fn case_people(c: &Case) -> Vec<String> {
    let mut people = vec![c.application.applicant.iin.to_string()];
    people.extend(c.application.representative.as_ref().map(|r| r.iin.to_string()));
    people
}

/// Why staff of `role` read a person's record: the purpose the person is shown.
fn purpose(role: Role) -> Option<&'static str> {
    match role {
        Role::Officer | Role::Commission => Some("processing"),
        Role::Operator => Some("enquiry"),
        Role::Reviewer => Some("review"),
        Role::Administrator => Some("audit"),
        _ => None,
    }
}

/// Records that `user` read `record`, about each of `people`, when `user` is the state's staff
/// (a person reading their own file is not recorded). Batched by the writer; the page does
/// not wait for it (`store::access`).
pub(crate) fn seen(store: &store::Store, user: &User, record: &str, people: &[String]) {
    let Some(why) = purpose(user.role) else { return };
    let (at_ms, route) = (jiff::Timestamp::now().as_millisecond(), crate::edge::trace::current_route());
    for iin in people {
        store.record_access(store::access::Read {
            subject_iin: iin.clone(),
            at_ms,
            reader_id: user.id.clone(),
            reader_role: crate::edge::access::role_tag(user.role).to_owned(),
            reader_akimat: user.akimat.as_ref().map(ToString::to_string),
            record: record.to_owned(),
            route: route.clone(),
            purpose: why.to_owned(),
        });
    }
}

/// The role's data name (`officer`).
pub(crate) fn role_tag(role: Role) -> &'static str {
    match role {
        Role::Applicant => "applicant",
        Role::Officer => "officer",
        Role::Commission => "commission",
        Role::Reviewer => "reviewer",
        Role::Administrator => "administrator",
        Role::Operator => "operator",
        _ => "system",
    }
}

/// A case: its applicant or the person they authorised to file it (Rules §3), or the staff
/// of its akimat.
pub(crate) fn case(user: &User, case: &Case) -> bool {
    match user.role {
        Role::Applicant => user.iin.as_ref().is_some_and(|iin| case.concerns(iin)),
        Role::Officer | Role::Commission => user.akimat.as_deref() == Some(case.application.akimat.as_str()),
        Role::Administrator => true,
        _ => false,
    }
}

/// A complaint: its complainant, the officers of the akimat complained about, and the
/// reviewing body for complaints addressed to it (Rules §24 para 1). A complaint sent to the
/// akimat alone is the akimat's to review (§25): the reviewing body sees neither it nor its
/// case file.
pub(crate) fn complaint(user: &User, c: &Complaint) -> bool {
    match user.role {
        Role::Applicant => user.iin.as_ref() == Some(&c.filing.complainant),
        Role::Officer => user.akimat.as_deref() == Some(c.filing.akimat.as_str()),
        Role::Reviewer => c.filing.route == rules::complaint::Route::ToReviewingBody,
        Role::Administrator => true,
        _ => false,
    }
}

/// A certificate in full (the public sees it masked at /verify): its holder, the staff of
/// its akimat.
pub(crate) fn certificate(user: &User, c: &Certificate) -> bool {
    match user.role {
        Role::Applicant => user.iin.as_ref() == Some(&c.holder.iin),
        Role::Officer | Role::Commission => user.akimat.as_deref() == Some(c.akimat.as_str()),
        Role::Administrator | Role::Reviewer => true,
        _ => false,
    }
}

/// For the API: a case the caller may see, or 404 (which of the two is not said).
pub(crate) async fn api_case(
    state: &crate::edge::AppState,
    user: &User,
    number: &str,
) -> Result<Case, crate::edge::error::ApiError> {
    let Ok(number) = number.parse::<CaseNumber>() else {
        return Err(crate::edge::error::ApiError::not_found("status-not-found"));
    };
    match state.store.case(&number).await? {
        Some(c) if case(user, &c) => {
            seen(&state.store, user, &format!("case/{number}"), &case_people(&c));
            Ok(c)
        }
        _ => Err(crate::edge::error::ApiError::not_found("status-not-found")),
    }
}

/// For the API: a complaint the caller may see, or 404.
pub(crate) async fn api_complaint(
    state: &crate::edge::AppState,
    user: &User,
    number: &str,
) -> Result<Complaint, crate::edge::error::ApiError> {
    let Ok(number) = number.parse::<CaseNumber>() else {
        return Err(crate::edge::error::ApiError::not_found("status-not-found"));
    };
    match state.store.complaint(&number).await? {
        Some(c) if complaint(user, &c) => {
            seen(&state.store, user, &format!("complaint/{number}"), &[c.filing.complainant.to_string()]);
            Ok(c)
        }
        _ => Err(crate::edge::error::ApiError::not_found("status-not-found")),
    }
}
