//! Notices in words and where they go: what a notice says in the inbox and in mail, where a
//! person's mail is kept, and an escalation alert with its derivation. The inbox page and the
//! mail worker say the same.

use rules::certificate::CertificateEvent;

use crate::edge::i18n::Tr;

/// A notice in words: what happened to which case, certificate or complaint.
pub(crate) fn said(t: &Tr, n: &store::notifications::Notification) -> (String, String) {
    let (kind, number) = n.subject();
    let number = number.to_owned();
    match kind {
        "case" => (
            t.ta("inbox-case", &[("number", number.clone()), ("what", t.t(&format!("event-{}", n.kind)))]),
            format!("/cases/{number}"),
        ),
        "certificate" => {
            let window = n.payload.as_deref().and_then(|p| serde_json::from_str(p).ok()).and_then(|e| match e {
                CertificateEvent::Reminded { window, due_on, .. }
                | CertificateEvent::WindowMissed { window, due_on, .. } => Some((window, due_on)),
                _ => None,
            });
            let text = match window {
                // A window's notice says its last day and paragraph.
                Some((window, due_on)) => t.ta(
                    &format!("inbox-{}-{}", n.kind, window.tag()),
                    &[
                        ("number", number.clone()),
                        ("due", due_on.to_string()),
                        ("citation", window.citation().localized(t.lang)),
                    ],
                ),
                None => t.ta(
                    "inbox-certificate",
                    &[("number", number.clone()), ("what", t.t(&format!("cert-event-{}", n.kind)))],
                ),
            };
            (text, format!("/certificates/{number}"))
        }
        _ => (
            t.ta(
                "inbox-complaint",
                &[("number", number.clone()), ("what", t.t(&format!("inbox-complaint-{}", n.kind)))],
            ),
            format!("/complaints/{number}"),
        ),
    }
}

/// Where a person's mail is kept: a proven IIN's notices for a person, an officer's own
/// address for their akimat's escalation alerts; other staff get none by mail.
pub(crate) fn contact_key(user: &store::User) -> Option<String> {
    match (user.role, &user.iin) {
        (rules::Role::Officer, _) => Some(store::escalation::officer_contact(&user.id)),
        (rules::Role::Applicant, Some(iin)) => Some(iin.to_string()),
        _ => None,
    }
}

/// Where an akimat's head wants escalation alerts: a contact kept under this key.
pub(crate) fn head_contact(akimat: &str) -> String {
    format!("head:{akimat}")
}

/// An alert in words, with its derivation: the stage's first day, its working days and
/// paragraph, its last day, and the day it was judged on.
pub(crate) fn alert_line(t: &Tr, r: &store::escalation::Recorded) -> String {
    let citation = rules::Citation::owned(r.citation.clone()).localized(t.lang);
    t.ta(
        &format!("alert-{}", r.level),
        &[
            ("number", r.case_number.clone()),
            ("from", r.from_day.clone()),
            ("days", r.allowance.to_string()),
            ("due", r.due_on.clone()),
            ("on", r.on_day.clone()),
            ("citation", citation),
        ],
    )
}
