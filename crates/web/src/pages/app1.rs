//! App.1, the application form, as a typed struct: every question a field with its own name,
//! read from the multipart body in one pass that keeps every answer and every file that
//! arrived, and says what did not.
//!
//! The form is multipart because it carries documents, so `forms::Form<T>` (URL-encoded) does
//! not read it; this module is its reader. The field names are the form's `name=`s, and a draft
//! stores them as name → answer, so drafts saved before this type existed still resume.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::http::StatusCode;
use rules::documents::DocumentKind;

use crate::edge::i18n::Tr;

use super::common::name_of;

/// Declares the answers: text questions as `String` (as typed, trimmed, so a wrong one is
/// shown back to be corrected), check boxes as `bool`.
macro_rules! app1_answers {
    (text: $($t:ident),* ; boxes: $($b:ident),* $(,)?) => {
        /// The answers of App.1, one field per question.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub(crate) struct Answers {
            $(pub(crate) $t: String,)*
            $(pub(crate) $b: bool,)*
        }

        impl Answers {
            /// Takes one posted field; `false` when the form has no such question (the CSRF
            /// token, a button), which the caller then reads as what it is.
            pub(crate) fn take(&mut self, name: &str, value: &str) -> bool {
                match name {
                    $(stringify!($t) => self.$t = value.trim().to_owned(),)*
                    $(stringify!($b) => self.$b = matches!(value, "on" | "yes" | "true"),)*
                    _ => return false,
                }
                true
            }

            /// The answer to the question named `name` as the page shows it back ("" when
            /// unanswered; "on" for a ticked box).
            pub(crate) fn shown(&self, name: &str) -> &str {
                match name {
                    $(stringify!($t) => &self.$t,)*
                    $(stringify!($b) => if self.$b { "on" } else { "" },)*
                    _ => "",
                }
            }

            /// Every answer given, as (name, value), in the form's order: what a draft keeps
            /// and what the check page posts again.
            pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
                let mut out = Vec::new();
                $(if !self.$t.is_empty() { out.push((stringify!($t), self.$t.clone())); })*
                $(if self.$b { out.push((stringify!($b), "on".to_owned())); })*
                out
            }
        }
    };
}

app1_answers!(
    text: service, akimat, profession, certificate, ground, event_date, employer_name, employer_id,
        contract_end, applicant_iin, surname, given_name, patronymic, document_number,
        document_issued_on, document_valid_until, document_issued_by, address, phone, fax,
        home_address, home_phone;
    boxes: contract_open_ended, represent, consent,
);

impl Answers {
    /// The answers a draft kept, by name; names the form no longer asks are dropped.
    pub(crate) fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Answers {
        let mut answers = Answers::default();
        for (name, value) in pairs {
            answers.take(name, value);
        }
        answers
    }

    /// The answers as a draft stores them.
    pub(crate) fn to_map(&self) -> BTreeMap<String, String> {
        self.pairs().into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

/// What the person asked for with the button they pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Intent {
    /// "Save as draft".
    SaveDraft,
    /// "Continue": read the answers back before filing.
    Check,
    /// "Change" on the check page: the form again, everything kept.
    Change,
    /// "File" on the check page, or a client that posts the form without a step.
    #[default]
    File,
}

impl Intent {
    fn of(step: &str, save: &str) -> Intent {
        match (save, step) {
            ("draft", _) => Intent::SaveDraft,
            (_, "check") => Intent::Check,
            (_, "change") => Intent::Change,
            _ => Intent::File,
        }
    }
}

/// A file as it arrived, before the store keeps it.
pub(crate) struct Arrived {
    pub(crate) kind: DocumentKind,
    pub(crate) file_name: String,
    pub(crate) bytes: Bytes,
}

/// The body of one App.1 post, read whole before anything is stored.
#[derive(Default)]
pub(crate) struct Posted {
    pub(crate) answers: Answers,
    pub(crate) intent: Intent,
    /// The form's idempotency key: the same form posted twice files once.
    pub(crate) token: String,
    /// Files received in this post, in order.
    pub(crate) files: Vec<Arrived>,
    /// Documents uploaded by an earlier post of the same form, as (kind, sha-256, file name);
    /// whose they are is checked against the store before they are kept.
    pub(crate) kept: Vec<(DocumentKind, String, String)>,
    /// Fields that did not arrive whole, with what to say beside them: the body was cut short
    /// (over the router's limit, or the link dropped) or a field was not text.
    pub(crate) problems: Vec<(String, String)>,
}

fn kind_named(name: &str) -> Option<DocumentKind> {
    DocumentKind::ALL.iter().copied().find(|k| name_of(k) == name)
}

/// Reads the posted form. Nothing is stored here; a body cut short keeps what came before
/// the cut (the answers come first in the form), and the field being received is said not to
/// have arrived. A body that cannot be read at all is the status it failed with.
pub(crate) async fn read(t: &Tr, mut multipart: Multipart) -> Result<Posted, StatusCode> {
    let mut posted = Posted::default();
    let (mut step, mut save) = (String::new(), String::new());
    let cut =
        |t: &Tr| t.ta("error-form-cut", &[("limit", (crate::edge::limits::FORM_BYTES / (1024 * 1024)).to_string())]);
    let mut receiving = "documents".to_owned();
    let mut any = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if !any => return Err(e.status()),
            Err(_) => {
                posted.problems.push((receiving, cut(t)));
                break;
            }
        };
        any = true;
        let name = field.name().unwrap_or("").to_owned();
        receiving.clone_from(&name);
        if let Some(kind_name) = name.strip_prefix("doc-") {
            let file_name = field.file_name().unwrap_or("").to_owned();
            match field.bytes().await {
                Ok(bytes) => {
                    if let Some(kind) = kind_named(kind_name)
                        && !bytes.is_empty()
                    {
                        posted.files.push(Arrived { kind, file_name, bytes });
                    }
                }
                Err(_) => {
                    posted.problems.push((name, cut(t)));
                    break;
                }
            }
            continue;
        }
        let value = match field.text().await {
            Ok(v) => v,
            Err(_) => {
                posted.problems.push((name, cut(t)));
                break;
            }
        };
        if let Some(problem) = crate::edge::forms::text_problem(&name, &value, false) {
            let fault = crate::edge::error::Fault::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", problem);
            posted.problems.push((name.clone(), fault.message(t)));
        }
        if let Some(kind_name) = name.strip_prefix("kept-") {
            if let (Some(kind), Some((sha, file))) = (kind_named(kind_name), value.split_once('|')) {
                posted.kept.push((kind, sha.to_owned(), file.to_owned()));
            }
            continue;
        }
        match name.as_str() {
            "form_token" => posted.token = value,
            "step" => step = value,
            "save" => save = value,
            _ => {
                posted.answers.take(&name, &value);
            }
        }
    }
    posted.intent = Intent::of(&step, &save);
    Ok(posted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_round_trips_through_a_draft() {
        let mut a = Answers::default();
        assert!(a.take("surname", "  Smith "));
        assert!(a.take("represent", "on"));
        assert!(!a.take("csrf", "x"), "not a question of the form");
        assert_eq!(a.surname, "Smith");
        assert_eq!(a.shown("represent"), "on");
        let map = a.to_map();
        let back = Answers::from_pairs(map.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, a);
    }

    #[test]
    fn the_button_decides_the_intent() {
        assert_eq!(Intent::of("check", "draft"), Intent::SaveDraft);
        assert_eq!(Intent::of("check", ""), Intent::Check);
        assert_eq!(Intent::of("change", ""), Intent::Change);
        assert_eq!(Intent::of("", ""), Intent::File);
        assert_eq!(Intent::of("file", ""), Intent::File);
    }
}
