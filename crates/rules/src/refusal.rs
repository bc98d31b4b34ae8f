//! Refusals: the law saying no to a command. Not an error of the program but a value that
//! carries its citation and the facts, shown to the person in their language.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::actor::Role;
use crate::case::Ground;
use crate::certificate::Status;
use crate::citation::Citation;
use crate::facts::{Act, Field, LawData, Problem, Proceeding, Stage};
use crate::text::{Lang, Localized};

/// Why a command is refused, with the facts a person needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Reason {
    /// The command is not possible at this stage of the case.
    NotAtThisStage {
        /// The command.
        command: Act,
        /// The current state.
        state: Stage,
    },
    /// The command does not exist for this kind of service.
    NotForThisService {
        /// The command.
        command: Act,
        /// The service.
        service: Proceeding,
    },
    /// The case is finished; nothing more can be done on it.
    Finished {
        /// The final state.
        state: Stage,
    },
    /// Someone in another role must do this.
    WrongRole {
        /// The role that may.
        needed: Role,
        /// The role that tried.
        actual: Role,
    },
    /// The case belongs to another akimat.
    OtherAkimat {
        /// The case's akimat (its code; named in the reader's language when shown).
        akimat: String,
    },
    /// The certificate is not the applicant's.
    NotTheHolder,
    /// No consent to the processing of personal data (App.1).
    NoConsent,
    /// A field the form requires for this service is missing or wrong.
    Field {
        /// The field.
        field: Field,
        /// What is wrong.
        problem: Problem,
    },
    /// The profession is not on the list in force (App.2 item 9.1).
    ProfessionNotListed {
        /// The code given.
        code: String,
        /// The date the list was consulted for.
        date: Date,
        /// The list version.
        list: String,
    },
    /// The certificate is not known.
    CertificateUnknown {
        /// The number given.
        number: String,
    },
    /// The certificate is not valid, so the service cannot apply to it.
    CertificateNotValid {
        /// The number.
        number: String,
        /// Its status.
        status: Box<Status>,
    },
    /// Fewer members present than the quorum.
    NoQuorum {
        /// Present.
        present: usize,
        /// Members of the Commission.
        members: usize,
        /// Needed.
        needed: usize,
    },
    /// Someone marked present is not a member.
    NotAMember {
        /// The id.
        who: String,
    },
    /// Not every criterion was answered.
    AssessmentIncomplete {
        /// The questions without an answer.
        unanswered: Vec<Localized>,
    },
    /// An answer does not fit the criteria.
    AssessmentInvalid {
        /// The question whose answer does not fit; `None` for an answer to no criterion of
        /// the table.
        question: Option<Localized>,
    },
    /// Issue cannot be recommended below the pass mark.
    BelowPassMark {
        /// The score.
        total: u32,
        /// The pass mark.
        pass_mark: u32,
    },
    /// "Below six points" cannot be a ground when the score reaches the pass mark.
    PassMarkReached {
        /// The score.
        total: u32,
        /// The pass mark.
        pass_mark: u32,
    },
    /// A refusal needs at least one ground.
    NoGrounds,
    /// A refusal needs its reasoning written out.
    NoReasoning,
    /// The ground does not apply to this service.
    GroundNotForService {
        /// The ground.
        ground: Ground,
    },
    /// The result must follow the Commission's recommendation.
    AgainstRecommendation {
        /// The Commission recommended issue (else refusal).
        recommended_issue: bool,
    },
    /// The validity asked for exceeds the maximum.
    ValidityTooLong {
        /// Asked.
        requested: Date,
        /// The latest allowed.
        latest: Date,
    },
    /// The validity would end before it starts.
    ValidityBeforeStart {
        /// Asked.
        requested: Date,
        /// The start.
        start: Date,
    },
    /// The certificate number does not belong to this akimat and year.
    NumberMismatch {
        /// The number given.
        number: String,
    },
    /// Not accepting needs the reason written out.
    NoNotAcceptReason,
    /// The 3-working-day window to satisfy a complaint instead of forwarding it has passed.
    SatisfactionWindowPassed {
        /// Its last day.
        due: Date,
    },
    /// Revocation needs the control body's act.
    NoControlAct,
    /// The calendar has no data for a year the question reaches.
    CalendarData {
        /// The year.
        year: i16,
    },
    /// No rule set, criteria table or list is in force on the date.
    NoRulesInForce {
        /// The date.
        date: Date,
        /// Which data is missing.
        what: LawData,
    },
}

/// A refused command: the reason and the paragraph it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{} [{citation}]", reason.message(Lang::En))]
pub struct Refusal {
    /// Why.
    pub reason: Reason,
    /// The paragraph applied.
    pub citation: Citation,
}

impl Refusal {
    /// A refusal under `citation`.
    pub fn new(reason: Reason, citation: impl Into<Citation>) -> Refusal {
        Refusal { reason, citation: citation.into() }
    }

    /// The message with its citation, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        format!("{} [{}]", self.reason.message(lang), self.citation.localized(lang))
    }
}

impl Reason {
    /// The reason in `lang`, without the citation.
    pub fn message(&self, lang: Lang) -> String {
        use Reason::*;
        let l = lang;
        let t = |en: String, ru: String, kk: String| match l {
            Lang::En => en,
            Lang::Ru => ru,
            Lang::Kk => kk,
        };
        match self {
            NotAtThisStage { command, state } => {
                let (command, state) = (command.name(l), state.name(l));
                t(
                    format!("“{command}” is not possible while the case is “{state}”"),
                    format!("действие «{command}» невозможно на этапе «{state}»"),
                    format!("«{command}» әрекеті «{state}» кезеңінде мүмкін емес"),
                )
            }
            NotForThisService { command, service } => {
                let (command, service) = (command.name(l), service.name(l));
                t(
                    format!("“{command}” is not part of the {service} service"),
                    format!("действие «{command}» не относится к услуге «{service}»"),
                    format!("«{command}» әрекеті «{service}» қызметіне жатпайды"),
                )
            }
            Finished { state } => {
                let state = state.name(l);
                t(
                    format!("the case is finished ({state}); nothing more can be done on it"),
                    format!("дело завершено ({state}); дальнейшие действия невозможны"),
                    format!("іс аяқталды ({state}); одан әрі әрекет мүмкін емес"),
                )
            }
            WrongRole { needed, actual } => t(
                format!("this is done by the {}, not the {}", needed.name(l), actual.name(l)),
                format!("это делает {}, а не {}", needed.name(l), actual.name(l)),
                format!("мұны {} жасайды, {} емес", needed.name(l), actual.name(l)),
            ),
            OtherAkimat { akimat } => {
                let akimat = crate::akimat::name(akimat, l);
                t(
                    format!("the case belongs to another akimat ({akimat})"),
                    format!("дело относится к другому акимату ({akimat})"),
                    format!("іс басқа әкімдікке тиесілі ({akimat})"),
                )
            }
            NotTheHolder => t(
                "the certificate was issued to another person".into(),
                "справка выдана другому лицу".into(),
                "анықтама басқа адамға берілген".into(),
            ),
            NoConsent => t(
                "consent to the collection and processing of personal data is required".into(),
                "требуется согласие на сбор и обработку персональных данных".into(),
                "дербес деректерді жинауға және өңдеуге келісім қажет".into(),
            ),
            Field { field, problem } => problem.message(*field, l),
            ProfessionNotListed { code, date, list } => t(
                format!("the profession {code} is not on the list in force on {date} ({list})"),
                format!("профессия {code} отсутствует в перечне, действующем на {date} ({list})"),
                format!("{code} кәсібі {date} күні қолданыстағы тізбеде жоқ ({list})"),
            ),
            CertificateUnknown { number } => t(
                format!("no certificate {number} is known"),
                format!("справка {number} не найдена"),
                format!("{number} анықтамасы табылмады"),
            ),
            CertificateNotValid { number, status } => {
                let status = status.describe(l);
                t(
                    format!("certificate {number} is not valid ({status})"),
                    format!("справка {number} не действует ({status})"),
                    format!("{number} анықтамасы жарамсыз ({status})"),
                )
            }
            NoQuorum { present, members, needed } => t(
                format!("{present} of {members} members present; at least {needed} are needed"),
                format!("присутствуют {present} из {members} членов; нужно не менее {needed}"),
                format!("{members} мүшенің {present} қатысады; кемінде {needed} қажет"),
            ),
            NotAMember { who } => t(
                format!("{who} is not a member of the Commission"),
                format!("{who} не является членом Комиссии"),
                format!("{who} Комиссия мүшесі емес"),
            ),
            AssessmentIncomplete { unanswered } => {
                let questions = unanswered.iter().map(|q| format!("«{}»", q.get(l))).collect::<Vec<_>>().join(", ");
                t(
                    format!("the assessment is incomplete: no answer to {questions}"),
                    format!("оценка не завершена: нет ответа на вопросы {questions}"),
                    format!("бағалау аяқталмаған: {questions} сұрақтарына жауап жоқ"),
                )
            }
            AssessmentInvalid { question: Some(q) } => {
                let q = q.get(l);
                t(
                    format!("the assessment is invalid: the answer to «{q}» does not fit its scale"),
                    format!("оценка неверна: ответ на вопрос «{q}» не соответствует шкале"),
                    format!("бағалау дұрыс емес: «{q}» сұрағының жауабы шкалаға сәйкес емес"),
                )
            }
            AssessmentInvalid { question: None } => t(
                "the assessment is invalid: an answer names no criterion of the table in force".into(),
                "оценка неверна: ответ относится к критерию, которого нет в действующей таблице".into(),
                "бағалау дұрыс емес: жауап қолданыстағы кестеде жоқ өлшемшартқа қатысты".into(),
            ),
            BelowPassMark { total, pass_mark } => t(
                format!(
                    "the assessment gives {total} points, below the {pass_mark} needed: issue cannot be recommended"
                ),
                format!("по оценке {total} баллов, меньше необходимых {pass_mark}: выдача невозможна"),
                format!("бағалау {total} балл берді, қажетті {pass_mark} балдан төмен: беру мүмкін емес"),
            ),
            PassMarkReached { total, pass_mark } => t(
                format!(
                    "the assessment gives {total} points, reaching the {pass_mark} needed: “below six points” is not a ground"
                ),
                format!("по оценке {total} баллов, не меньше {pass_mark}: основание «менее шести баллов» неприменимо"),
                format!(
                    "бағалау {total} балл берді, {pass_mark} балдан кем емес: «алты балдан төмен» негізі қолданылмайды"
                ),
            ),
            NoGrounds => t(
                "a refusal must name at least one ground".into(),
                "отказ должен содержать хотя бы одно основание".into(),
                "бас тарту кемінде бір негізді көрсетуі тиіс".into(),
            ),
            NoReasoning => t(
                "a refusal must give its reasons".into(),
                "отказ должен быть мотивированным".into(),
                "бас тарту дәлелді болуы тиіс".into(),
            ),
            GroundNotForService { ground } => {
                let ground = ground.name(l);
                t(
                    format!("the ground “{ground}” does not apply to this service"),
                    format!("основание «{ground}» не применяется к этой услуге"),
                    format!("«{ground}» негізі бұл қызметке қолданылмайды"),
                )
            }
            AgainstRecommendation { recommended_issue } => {
                let recommended = match (recommended_issue, l) {
                    (true, Lang::En) => "issue",
                    (true, Lang::Ru) => "выдать справку",
                    (true, Lang::Kk) => "анықтаманы беру",
                    (false, Lang::En) => "refuse",
                    (false, Lang::Ru) => "отказать",
                    (false, Lang::Kk) => "бас тарту",
                };
                t(
                    format!("the result must follow the Commission's recommendation ({recommended})"),
                    format!("результат должен соответствовать рекомендации Комиссии ({recommended})"),
                    format!("нәтиже Комиссия ұсынымына сәйкес болуы тиіс ({recommended})"),
                )
            }
            ValidityTooLong { requested, latest } => t(
                format!("valid to {requested} is too long: the latest allowed is {latest}"),
                format!("срок до {requested} превышает допустимый: не позднее {latest}"),
                format!("{requested} дейінгі мерзім тым ұзақ: ең кеші {latest}"),
            ),
            ValidityBeforeStart { requested, start } => t(
                format!("valid to {requested} is before the start {start}"),
                format!("срок до {requested} раньше начала {start}"),
                format!("{requested} дейінгі мерзім басталу күнінен {start} бұрын"),
            ),
            NumberMismatch { number } => t(
                format!("the number {number} does not belong to this akimat and year"),
                format!("номер {number} не принадлежит этому акимату и году"),
                format!("{number} нөмірі осы әкімдік пен жылға тиесілі емес"),
            ),
            NoNotAcceptReason => t(
                "name the missing or expired documents: only they allow not accepting an application".into(),
                "укажите недостающие или просроченные документы: только они позволяют не принять заявление".into(),
                "жетіспейтін немесе мерзімі өткен құжаттарды көрсетіңіз: өтінішті тек солар үшін қабылдамауға болады"
                    .into(),
            ),
            SatisfactionWindowPassed { due } => t(
                format!("the 3 working days to satisfy the complaint ended on {due}: it must be forwarded"),
                format!("3 рабочих дня на удовлетворение жалобы истекли {due}: её нужно направить"),
                format!("шағымды қанағаттандыруға арналған 3 жұмыс күні {due} аяқталды: оны жіберу қажет"),
            ),
            NoControlAct => t(
                "revocation needs the act of the control body".into(),
                "для отзыва нужен акт контролирующего органа".into(),
                "кері қайтарып алу үшін бақылау органының актісі қажет".into(),
            ),
            CalendarData { year } => t(
                format!("the working-day calendar has no data for {year}"),
                format!("в производственном календаре нет данных за {year}"),
                format!("жұмыс күндерінің күнтізбесінде {year} жылға деректер жоқ"),
            ),
            NoRulesInForce { date, what } => {
                let what = what.name(l);
                t(
                    format!("no {what} is in force on {date}"),
                    format!("на {date} не действует {what}"),
                    format!("{date} күні {what} қолданыста емес"),
                )
            }
        }
    }
}
