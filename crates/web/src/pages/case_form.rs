//! The case page's forms: the actions offered and their names, the typed form each posts,
//! and the choices it offers (the grounds of App.2 item 9, the checklist of App.2 item 8).

use rules::RuleSet;
use rules::case::{CommandKind, Ground};
use rules::documents::DocumentKind;
use serde::Deserialize;

use super::apply::kinds_in;
use super::common::name_of;
use crate::edge::forms::{DataFields, FormSpec, choice};

pub(crate) fn action_name(k: CommandKind) -> &'static str {
    match k {
        CommandKind::Register => "register",
        CommandKind::NotAccept => "not-accept",
        CommandKind::Forward => "forward",
        CommandKind::RecordDecision => "record-decision",
        CommandKind::Issue => "issue",
        CommandKind::Extend => "extend",
        CommandKind::Reissue => "reissue",
        CommandKind::IssueDuplicate => "issue-duplicate",
        CommandKind::Refuse => "refuse",
        CommandKind::Close => "close",
    }
}

/// The form field that names each ground.
pub(crate) const GROUND_FIELDS: [(&str, Ground); 3] = [
    ("ground-qualification", Ground::QualificationMismatch),
    ("ground-below", Ground::BelowPassMark),
    ("ground-unreliable", Ground::UnreliableDocuments),
];

pub(crate) fn grounds_from(form: &ActForm) -> Vec<Ground> {
    GROUND_FIELDS.into_iter().filter(|(k, _)| form.fields.contains(k)).map(|(_, g)| g).collect()
}

/// The grounds `service` may be refused on under `rules` (App.2 item 9), each labelled with
/// its sub-item in the reader's language.
pub(crate) fn ground_choices(
    rules: &RuleSet,
    service: rules::case::ServiceKind,
    lang: rules::Lang,
) -> Vec<(String, String)> {
    GROUND_FIELDS
        .into_iter()
        .filter(|(_, g)| rules.grounds.allowed(*g, service))
        .map(|(field, g)| {
            (field.to_owned(), format!("{} ({})", g.name(lang, rules), g.citation(rules).localized(lang)))
        })
        .collect()
}

/// The document kinds an officer can name when not accepting (App.2 items 8, 9): what the
/// filing needs (with a representative's power of attorney, Rules §3) and whatever is
/// attached, each once, as (form value, label).
pub(crate) fn checklist_choices(
    rules: &RuleSet,
    app: &rules::case::Application,
    lang: rules::Lang,
) -> Vec<(String, String)> {
    let mut more: Vec<DocumentKind> = app.requirements(rules).into_iter().flat_map(|r| r.any_of).collect();
    more.extend(app.documents.iter().map(|d| d.kind));
    kinds_in(rules, &[app.service.checklist()], &more)
        .into_iter()
        .map(|k| (name_of(&k), k.name(lang).to_owned()))
        .collect()
}

/// The actions the case page offers, as its forms post them.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ActionChoice {
    Register,
    NotAccept,
    Forward,
    Issue,
    Extend,
    Reissue,
    IssueDuplicate,
    Refuse,
    RecordDecision,
    Close,
}

choice!(
    /// What the Commission recommends.
    RecommendChoice => RecommendKind { Issue = "issue", Refuse = "refuse" }
);

impl ActionChoice {
    pub(crate) fn kind(self) -> CommandKind {
        match self {
            ActionChoice::Register => CommandKind::Register,
            ActionChoice::NotAccept => CommandKind::NotAccept,
            ActionChoice::Forward => CommandKind::Forward,
            ActionChoice::Issue => CommandKind::Issue,
            ActionChoice::Extend => CommandKind::Extend,
            ActionChoice::Reissue => CommandKind::Reissue,
            ActionChoice::IssueDuplicate => CommandKind::IssueDuplicate,
            ActionChoice::Refuse => CommandKind::Refuse,
            ActionChoice::RecordDecision => CommandKind::RecordDecision,
            ActionChoice::Close => CommandKind::Close,
        }
    }
}

/// What a recommendation is, before its grounds are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecommendKind {
    Issue,
    Refuse,
}

/// A form of the case page. The action and the recommendation are typed, so an unknown one
/// is refused, not taken for another. The rest are the boxes and answers of that action,
/// whose names come from data (documents `missing-…`, criteria `c-…`, members `present-…`).
#[derive(Debug, Deserialize)]
pub(crate) struct ActForm {
    pub(crate) action: ActionChoice,
    #[serde(default)]
    pub(crate) version: String,
    #[serde(default)]
    pub(crate) token: String,
    pub(crate) recommend: Option<RecommendChoice>,
    #[serde(flatten)]
    pub(crate) fields: DataFields,
}

impl FormSpec for ActForm {
    const MULTILINE: &'static [&'static str] = &["reasoning", "note"];
}

impl ActForm {
    pub(crate) fn text(&self, k: &str) -> String {
        self.fields.get(k).map(|v| v.trim().to_owned()).unwrap_or_default()
    }
}
