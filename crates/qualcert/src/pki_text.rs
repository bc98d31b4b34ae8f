//! What `qualcert verify` and `sign` say, in Kazakh, Russian or English: the verdict, each
//! field's label, why a signature fails, and the one line for unusable input. The language is
//! `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English. English lines
//! may add the technical detail; Kazakh and Russian lines carry no English.

use kzpki::{Failure, Revocation, TimeBasis};
use rules::Lang;

/// The person's language from the locale, when `--lang` is not given.
pub(crate) fn from_env() -> Lang {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if v.is_empty() {
                continue;
            }
            return if v.starts_with("kk") {
                Lang::Kk
            } else if v.starts_with("ru") {
                Lang::Ru
            } else {
                Lang::En
            };
        }
    }
    Lang::En
}

fn pick(lang: Lang, kk: String, ru: String, en: String) -> String {
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// The first line: the file and the verdict.
pub(crate) fn verdict(lang: Lang, file: &str, valid: bool, signers: usize) -> String {
    match (valid, lang) {
        (true, Lang::Kk) => format!("{file}: қолтаңба түпнұсқа, қол қоюшылар: {signers}"),
        (true, Lang::Ru) => format!("{file}: подпись подлинная, подписантов: {signers}"),
        (true, Lang::En) => format!("{file}: genuine, {signers} signer{}", if signers == 1 { "" } else { "s" }),
        (false, Lang::Kk) => format!("{file}: қолтаңба түпнұсқа ЕМЕС"),
        (false, Lang::Ru) => format!("{file}: подпись НЕ подлинная"),
        (false, Lang::En) => format!("{file}: NOT genuine"),
    }
}

/// One signer's verdict line.
pub(crate) fn signer_line(lang: Lang, i: usize, failure: Option<&Failure>, detail: Option<&str>) -> String {
    match failure {
        None => pick(
            lang,
            format!("қол қоюшы {i}: жарамды"),
            format!("подписант {i}: подпись действительна"),
            format!("signer {i}: valid"),
        ),
        Some(f) => {
            let why = failure_text(lang, f);
            match lang {
                Lang::Kk => format!("қол қоюшы {i}: жарамсыз: {why}"),
                Lang::Ru => format!("подписант {i}: подпись НЕ действительна: {why}"),
                Lang::En => format!("signer {i}: NOT valid: {}", detail.unwrap_or(&why)),
            }
        }
    }
}

/// Why a signer fails, for a person.
pub(crate) fn failure_text(lang: Lang, f: &Failure) -> String {
    match f {
        Failure::Unusable => pick(
            lang,
            "қолтаңба оқылмайды немесе оның алгоритміне қолдау көрсетілмейді".into(),
            "подпись нечитаема или её алгоритм не поддерживается".into(),
            "the signature is unreadable or its algorithm is not supported".into(),
        ),
        Failure::MissingCertificate => pick(
            lang,
            "қолтаңбада қол қоюшының сертификаты жоқ".into(),
            "в подписи нет сертификата подписанта".into(),
            "the signer's certificate is not in the signature".into(),
        ),
        Failure::ContentMismatch => pick(
            lang,
            "құжат қол қойылған құжатпен сәйкес келмейді".into(),
            "документ не совпадает с подписанным".into(),
            "the document is not the one signed".into(),
        ),
        Failure::BadSignature => pick(
            lang,
            "қолтаңба тексеруден өтпейді".into(),
            "подпись не проходит проверку".into(),
            "the signature does not verify".into(),
        ),
        Failure::TimeStamp => pick(
            lang,
            "уақыт белгісі жарамсыз немесе басқа қолтаңбаға қатысты".into(),
            "метка времени недействительна или относится к другой подписи".into(),
            "the time-stamp is not valid or not over this signature".into(),
        ),
        Failure::FromTheFuture { claimed } => pick(
            lang,
            format!("қолтаңба {claimed} уақытымен белгіленген, бұл тексеру сәтінен кейін"),
            format!("подпись датирована {claimed}, позже момента проверки"),
            format!("the signature claims {claimed}, after the instant judged"),
        ),
        Failure::NotForSigning => pick(
            lang,
            "сертификат қол қоюға арналмаған".into(),
            "сертификат не предназначен для подписи".into(),
            "the certificate is not for signing".into(),
        ),
        Failure::Expired { until } => pick(
            lang,
            format!("қол қоюшы сертификатының мерзімі {until} өтіп кеткен"),
            format!("срок действия сертификата подписанта истёк {until}"),
            format!("the signer's certificate expired on {until}"),
        ),
        Failure::NotYetValid { from } => pick(
            lang,
            format!("қол қоюшы сертификаты {from} бастап қана жарамды"),
            format!("сертификат подписанта действует только с {from}"),
            format!("the signer's certificate is valid only from {from}"),
        ),
        Failure::Untrusted => pick(
            lang,
            "сертификат сенімді түбірлік куәландырушы орталыққа дейін тексерілмейді".into(),
            "сертификат не ведёт к доверенному корневому удостоверяющему центру".into(),
            "the certificate does not chain to a trusted root".into(),
        ),
        Failure::Revoked { date } => pick(
            lang,
            format!("сертификат {date} кері қайтарылған, қол қойылғанға дейін"),
            format!("сертификат отозван {date}, до подписания"),
            format!("the certificate was revoked on {date}, before the signature"),
        ),
    }
}

/// The labels of a signer's fields.
pub(crate) struct Labels {
    pub(crate) subject: &'static str,
    pub(crate) iin: &'static str,
    pub(crate) bin: &'static str,
    pub(crate) holder: &'static str,
    pub(crate) algorithm: &'static str,
    pub(crate) signing_time: &'static str,
    pub(crate) time_stamp: &'static str,
    pub(crate) judged_at: &'static str,
    pub(crate) chain: &'static str,
    pub(crate) revocation: &'static str,
    pub(crate) individual: &'static str,
    pub(crate) employee: &'static str,
    pub(crate) by: &'static str,
}

pub(crate) fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::Kk => Labels {
            subject: "иесі",
            iin: "ЖСН",
            bin: "БСН",
            holder: "иесінің түрі",
            algorithm: "алгоритм",
            signing_time: "қол қойылған уақыт (қол қоюшының мәлімдемесі, дәлелденбеген)",
            time_stamp: "уақыт белгісі",
            judged_at: "тексерілген сәт",
            chain: "тізбек",
            revocation: "кері қайтарып алу",
            individual: "жеке тұлға",
            employee: "заңды тұлғаның қызметкері",
            by: "берген",
        },
        Lang::Ru => Labels {
            subject: "владелец",
            iin: "ИИН",
            bin: "БИН",
            holder: "тип владельца",
            algorithm: "алгоритм",
            signing_time: "время подписания (со слов подписанта, не доказано)",
            time_stamp: "метка времени",
            judged_at: "проверено на момент",
            chain: "цепочка",
            revocation: "отзыв",
            individual: "физическое лицо",
            employee: "сотрудник юридического лица",
            by: "выдана",
        },
        Lang::En => Labels {
            subject: "subject",
            iin: "IIN",
            bin: "BIN",
            holder: "holder",
            algorithm: "algorithm",
            signing_time: "signing time (claimed by the signer, unproven)",
            time_stamp: "time-stamp",
            judged_at: "judged at",
            chain: "chain",
            revocation: "revocation",
            individual: "individual",
            employee: "legal entity's employee",
            by: "by",
        },
    }
}

/// Why the certificate was judged at that instant.
pub(crate) fn basis(lang: Lang, b: TimeBasis) -> String {
    let (kk, ru) = match b {
        TimeBasis::TimeStamp => ("уақыт белгісі бойынша", "по метке времени"),
        TimeBasis::AuditInstant => (
            "аудит сәті (--at); уақыт белгісі жоқ, қол қойылған уақыт дәлелденбеген",
            "момент аудита (--at); метки времени нет, время подписания не доказано",
        ),
        TimeBasis::Now => (
            "қазіргі сәт; уақыт белгісі жоқ, қол қойылған уақыт дәлелденбеген",
            "текущий момент; метки времени нет, время подписания не доказано",
        ),
    };
    pick(lang, kk.into(), ru.into(), b.describe().into())
}

/// The revocation status.
pub(crate) fn revocation(lang: Lang, r: &Revocation) -> String {
    match r {
        Revocation::Good { crl_this_update, stale } => {
            let (kk, ru) = if *stale {
                (
                    format!("кері қайтарылмаған ({crl_this_update} ККТ бойынша; келесі шығарылым мерзімі өтіп кеткен)"),
                    format!("не отозван (по СОС от {crl_this_update}; срок следующего выпуска прошёл)"),
                )
            } else {
                (
                    format!("кері қайтарылмаған ({crl_this_update} ККТ бойынша)"),
                    format!("не отозван (по СОС от {crl_this_update})"),
                )
            };
            pick(lang, kk, ru, r.describe())
        }
        Revocation::OcspGood { this_update } => pick(
            lang,
            format!("кері қайтарылмаған (OCSP, {this_update})"),
            format!("не отозван (OCSP, {this_update})"),
            r.describe(),
        ),
        Revocation::Revoked { date, .. } => {
            pick(lang, format!("{date} кері қайтарылған"), format!("отозван {date}"), r.describe())
        }
        Revocation::RevokedLater { date } => pick(
            lang,
            format!("{date} кері қайтарылған, қол қойылғаннан кейін"),
            format!("отозван {date}, после подписания"),
            r.describe(),
        ),
        Revocation::Unknown => pick(
            lang,
            "тексерілмеді: берушінің кері қайтарылған сертификаттар тізімі жүктелмеген".into(),
            "не проверен: список отозванных сертификатов издателя не загружен".into(),
            r.describe(),
        ),
        Revocation::Unchecked(_) => {
            pick(lang, "тексерілмеді: OCSP жауап бермеді".into(), "не проверен: OCSP не ответил".into(), r.describe())
        }
    }
}

/// The one line for input that cannot be used (exit 2).
pub(crate) fn unusable(lang: Lang, file: &str, e: &kzpki::Error) -> String {
    let en = format!("{file}: {e}");
    match e {
        kzpki::Error::Malformed(m) if m.contains("give the signed file") => pick(
            lang,
            format!("{file}: қолтаңба бөлек жасалған: қол қойылған файлды да көрсетіңіз"),
            format!("{file}: подпись отделённая: укажите и подписанный файл"),
            en,
        ),
        kzpki::Error::Malformed(_) => pick(
            lang,
            format!("{file}: бұл оқылатын қолтаңба емес (файл бүлінген немесе толық емес)"),
            format!("{file}: это не читаемая подпись (файл повреждён или неполон)"),
            en,
        ),
        kzpki::Error::Unsupported(_) => pick(
            lang,
            format!("{file}: бұл алгоритмге қолдау көрсетілмейді"),
            format!("{file}: этот алгоритм не поддерживается"),
            en,
        ),
        kzpki::Error::Key(_) => pick(
            lang,
            format!("{file}: құпиясөз қате немесе кілт файлы бүлінген"),
            format!("{file}: неверный пароль или файл ключа повреждён"),
            en,
        ),
        kzpki::Error::Io(_) => {
            pick(lang, format!("{file}: файлды оқу мүмкін емес"), format!("{file}: не удаётся прочитать файл"), en)
        }
        kzpki::Error::Invalid(_) => pick(
            lang,
            format!("{file}: қол қойылған мазмұн берілген файлдан өзгеше"),
            format!("{file}: подписанное содержимое отличается от указанного файла"),
            en,
        ),
    }
}
