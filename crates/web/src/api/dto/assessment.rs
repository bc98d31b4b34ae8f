//! The Commission's answers and recommendation, the actions on a case, and the calculator's
//! assessment with the terms of the law it applies.

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::civil::Date;
use rules::assessment::Answer;
use rules::case::{self, CaseAction};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use super::read::*;

/// An answer to a criterion: yes or no, a number of years, or a choice's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AnswerBody {
    /// Yes or no.
    YesNo(bool),
    /// Years.
    Years(u32),
    /// A choice.
    Choice(Line),
}

/// By hand rather than `untagged`: JSON Schema counts `26.0` as an integer, so a number of
/// years written with a zero fraction is a number of years here too.
impl<'de> Deserialize<'de> for AnswerBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Bool(b) => Ok(AnswerBody::YesNo(b)),
            serde_json::Value::Number(n) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                .and_then(|y| u32::try_from(y).ok())
                .map(AnswerBody::Years)
                .ok_or_else(|| D::Error::custom("a number of years is a whole number, 0 or more")),
            serde_json::Value::String(s) => {
                Line::deserialize(serde_json::Value::String(s)).map(AnswerBody::Choice).map_err(D::Error::custom)
            }
            _ => Err(D::Error::custom("an answer is true or false, a number of years, or a choice's id")),
        }
    }
}

/// By hand so the schema says what the reader takes: years up to `u32::MAX`, which derived
/// schemas cannot bound on a tuple variant.
impl utoipa::PartialSchema for AnswerBody {
    fn schema() -> RefOr<Schema> {
        let years = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(u32::MAX))
            .description(Some("Years."));
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Boolean).description(Some("Yes or no.")))
            .item(years)
            .item(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("Line")))
            .description(Some("An answer to a criterion: yes or no, a number of years, or a choice's id."))
            .into()
    }
}

impl ToSchema for AnswerBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("AnswerBody")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((Line::name().into_owned(), <Line as utoipa::PartialSchema>::schema()));
    }
}

impl From<AnswerBody> for Answer {
    fn from(a: AnswerBody) -> Answer {
        match a {
            AnswerBody::YesNo(b) => Answer::YesNo(b),
            AnswerBody::Years(y) => Answer::Years(y),
            AnswerBody::Choice(c) => Answer::Choice(c.0),
        }
    }
}

impl From<&Answer> for AnswerBody {
    fn from(a: &Answer) -> AnswerBody {
        match a {
            Answer::YesNo(b) => AnswerBody::YesNo(*b),
            Answer::Years(y) => AnswerBody::Years(*y),
            Answer::Choice(c) => AnswerBody::Choice(Line(c.clone())),
        }
    }
}

/// Answers keyed by criterion id (see the criteria in force).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnswersBody(pub BTreeMap<String, AnswerBody>);

impl utoipa::PartialSchema for AnswersBody {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .additional_properties(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(AnswerBody::name()))))
            .description(Some("Answers keyed by criterion id (see the criteria in force)."))
            .into()
    }
}

impl ToSchema for AnswersBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Answers")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((AnswerBody::name().into_owned(), <AnswerBody as utoipa::PartialSchema>::schema()));
        AnswerBody::schemas(schemas);
    }
}

pub(crate) fn answers(a: AnswersBody) -> rules::assessment::Answers {
    a.0.into_iter().map(|(k, v)| (k, v.into())).collect()
}

/// The Commission's recommendation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "recommend", rename_all = "kebab-case", deny_unknown_fields)]
pub enum RecommendationBody {
    /// Issue the certificate, with the Commission's words if it gave any.
    Issue {
        /// Why, in words; may be left out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reasoning: Option<Text>,
    },
    /// Refuse, on these grounds (App.2 item 9).
    Refuse {
        /// The grounds.
        grounds: Vec<GroundBody>,
        /// Why, in words.
        reasoning: Text,
    },
}

impl From<RecommendationBody> for case::Recommendation {
    fn from(r: RecommendationBody) -> case::Recommendation {
        match r {
            RecommendationBody::Issue { reasoning } => {
                case::Recommendation::Issue { reasoning: reasoning.map(|r| r.0).unwrap_or_default() }
            }
            RecommendationBody::Refuse { grounds, reasoning } => case::Recommendation::Refuse {
                grounds: grounds.into_iter().map(Into::into).collect(),
                reasoning: reasoning.0,
            },
        }
    }
}

impl From<&case::Recommendation> for RecommendationBody {
    fn from(r: &case::Recommendation) -> RecommendationBody {
        match r {
            case::Recommendation::Issue { reasoning } => {
                RecommendationBody::Issue { reasoning: Some(Text(reasoning.clone())).filter(|r| !r.0.is_empty()) }
            }
            case::Recommendation::Refuse { grounds, reasoning } => RecommendationBody::Refuse {
                grounds: grounds.iter().map(|&g| g.into()).collect(),
                reasoning: Text(reasoning.clone()),
            },
        }
    }
}

/// An action on a case.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "kebab-case", deny_unknown_fields)]
pub enum CaseActionBody {
    /// The officer registers the application (App.2 item 7).
    Register,
    /// The officer does not accept an incomplete application (App.2 item 9).
    NotAccept {
        /// The checklist items found missing.
        #[serde(default)]
        missing: Vec<DocumentKindBody>,
        /// The documents found expired.
        #[serde(default)]
        expired: Vec<DocumentKindBody>,
        /// The officer's words.
        #[serde(default)]
        note: Text,
    },
    /// The officer forwards the documents to the Commission (R4.1).
    Forward,
    /// The Commission's minutes (R4.4): kept for the members to sign
    /// (`PUT /api/v1/cases/{number}/minutes/signature`). The roster is the akimat's, and the
    /// members present are those who sign; the decision is recorded when they make a quorum.
    RecordDecision {
        /// The minutes' number.
        minutes: Line,
        /// The answers scored.
        answers: AnswersBody,
        /// The recommendation.
        recommendation: RecommendationBody,
    },
    /// Issue the certificate (R4.6).
    Issue {
        /// Valid to, when not the longest term.
        #[serde(default)]
        #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        valid_to: Option<Date>,
    },
    /// Extend the certificate (R5.3).
    Extend {
        /// Valid to, when not the longest term.
        #[serde(default)]
        #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        valid_to: Option<Date>,
    },
    /// Re-issue the certificate (Rules §22).
    Reissue,
    /// Issue a duplicate (R9.2).
    IssueDuplicate,
    /// Refuse, with grounds (App.2 item 9).
    Refuse {
        /// The grounds.
        grounds: Vec<GroundBody>,
        /// Why, in words.
        reasoning: Text,
    },
    /// Close an extension, re-issue or duplicate whose certificate was revoked or replaced
    /// while it ran: no result can be given (Rules §23).
    Close,
}

impl From<CaseActionBody> for crate::shared::minutes::Act {
    fn from(a: CaseActionBody) -> crate::shared::minutes::Act {
        use crate::shared::minutes::{Act, Proposal};
        let kinds = |v: Vec<DocumentKindBody>| v.into_iter().map(Into::into).collect();
        Act::Case(match a {
            CaseActionBody::Register => CaseAction::Register,
            CaseActionBody::NotAccept { missing, expired, note } => {
                CaseAction::NotAccept { missing: kinds(missing), expired: kinds(expired), note: note.0 }
            }
            CaseActionBody::Forward => CaseAction::Forward,
            CaseActionBody::RecordDecision { minutes, answers: a, recommendation } => {
                return Act::Minutes(Proposal {
                    minutes: minutes.0,
                    answers: answers(a),
                    recommendation: Some(recommendation.into()),
                });
            }
            CaseActionBody::Issue { valid_to } => CaseAction::Issue { number: rules::case::Unallocated, valid_to },
            CaseActionBody::Extend { valid_to } => CaseAction::Extend { valid_to },
            CaseActionBody::Reissue => CaseAction::Reissue { number: rules::case::Unallocated },
            CaseActionBody::IssueDuplicate => CaseAction::IssueDuplicate,
            CaseActionBody::Close => CaseAction::Close,
            CaseActionBody::Refuse { grounds, reasoning } => {
                CaseAction::Refuse { grounds: grounds.into_iter().map(Into::into).collect(), reasoning: reasoning.0 }
            }
        })
    }
}

/// A phrase in the three languages.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LocalizedBody {
    /// Kazakh.
    pub kk: String,
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

/// A term of the law: its value and the paragraph that sets it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermBody {
    /// The value.
    pub value: u32,
    /// The paragraph.
    pub citation: String,
    /// The requirement's number.
    pub requirement: String,
}

/// One criterion's line of an assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineBody {
    /// The criterion's id.
    pub criterion: String,
    /// The question.
    pub question: LocalizedBody,
    /// The answer given.
    pub answer: Option<AnswerBody>,
    /// Points scored.
    pub points: u32,
    /// The most points it can give.
    pub max_points: u32,
    /// The paragraph of the criteria.
    pub citation: String,
    /// The answer that would score more, and its points.
    pub would_raise: Option<(AnswerBody, u32)>,
}

/// The calculator's answer: the Commission's engine, breakdown included (R4.5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentBody {
    /// The criteria set applied.
    pub criteria_set: String,
    /// Whether that set is a sample (not the approved one).
    pub sample: bool,
    /// One line per criterion.
    pub lines: Vec<LineBody>,
    /// Points scored.
    pub total: u32,
    /// The most points there are.
    pub max_total: u32,
    /// The pass mark (Rules §10).
    pub pass_mark: TermBody,
    /// Every criterion answered.
    pub complete: bool,
    /// Whether the points reach the pass mark.
    pub passed: bool,
}

impl From<&rules::assessment::Assessment> for AssessmentBody {
    fn from(a: &rules::assessment::Assessment) -> AssessmentBody {
        AssessmentBody {
            criteria_set: a.criteria_set.clone(),
            sample: a.sample,
            lines: a
                .lines
                .iter()
                .map(|l| LineBody {
                    criterion: l.criterion.clone(),
                    question: LocalizedBody {
                        kk: l.question.kk.clone(),
                        ru: l.question.ru.clone(),
                        en: l.question.en.clone(),
                    },
                    answer: l.answer.as_ref().map(AnswerBody::from),
                    points: l.points,
                    max_points: l.max_points,
                    citation: l.citation.to_string(),
                    would_raise: l.would_raise.as_ref().map(|(a, p)| (a.into(), *p)),
                })
                .collect(),
            total: a.total,
            max_total: a.max_total,
            pass_mark: TermBody {
                value: a.pass_mark.value,
                citation: a.pass_mark.citation.to_string(),
                requirement: a.pass_mark.requirement.clone(),
            },
            complete: a.complete,
            passed: a.passed(),
        }
    }
}

/// Answers for the calculator.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalculatorRequest {
    /// Answers keyed by criterion id.
    pub answers: AnswersBody,
}

impl CalculatorRequest {
    pub(crate) fn answers(self) -> rules::assessment::Answers {
        answers(self.answers)
    }
}
