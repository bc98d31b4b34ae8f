//! The worker: takes due jobs (`store::jobs`) and does them. Today's work is delivering each
//! notice (`store::notifications`) by mail to a person who gave an address for it, in the
//! language they chose, with what happened, the stage now, the next deadline and a link.
//! The inbox needs no delivery; without `QUALCERT_SMTP_URL` mail is off and the work is done
//! at once. A failed delivery is retried with backoff by the job table; the message's
//! `Message-ID` is the notice's, so a mail server or client that sees it twice keeps one.
//!
//! It runs inside `qualcert serve`, and alone as `qualcert worker` (any number of them).

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use store::Store;

use crate::edge::i18n::Tr;
use crate::shared::notices::{alert_line, head_contact};

/// How long a worker holds a job before another may take it over.
const LEASE_MS: i64 = 120_000;

/// How many due jobs one claim takes, per delivery run at once: enough that the last few
/// deliveries of a claim do not leave the connections idle for long.
const CLAIM_PER_PARALLEL: usize = 4;

/// How many deliveries run at once unless `QUALCERT_MAIL_PARALLEL` says otherwise.
const PARALLEL: usize = 32;

/// How many deliveries run at once, each on a connection of its own kept open for the next:
/// `QUALCERT_MAIL_PARALLEL` (1–64), [`PARALLEL`] when unset. Mail servers take several
/// connections from one client, and a slow delivery does not hold up the rest; a server that
/// limits a client to fewer is given that number.
pub fn mail_parallel() -> usize {
    std::env::var("QUALCERT_MAIL_PARALLEL").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(PARALLEL).clamp(1, 64)
}

/// A message to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The address.
    pub to: String,
    /// The language tag it is written in.
    pub lang: &'static str,
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
    /// The notice's own id, so that a repeated delivery is recognisably the same message.
    pub message_id: String,
}

/// Mail through an SMTP server (`smtp://host:port`, or `smtps://user:password@host` with TLS).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// A mailer for the server at `url`, sending as `from`.
    pub fn new(url: &str, from: &str) -> Result<SmtpMailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("QUALCERT_SMTP_URL {url:?}: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .pool_config(lettre::transport::smtp::PoolConfig::new().max_size(mail_parallel() as u32))
            .build();
        let from = from.parse().map_err(|e| format!("QUALCERT_MAIL_FROM {from:?}: {e}"))?;
        Ok(SmtpMailer { transport, from })
    }

    /// The mailer `QUALCERT_SMTP_URL` and `QUALCERT_MAIL_FROM` describe; `None` when mail is
    /// not configured.
    pub fn from_env() -> Result<Option<SmtpMailer>, String> {
        let Ok(url) = std::env::var("QUALCERT_SMTP_URL") else { return Ok(None) };
        let from = std::env::var("QUALCERT_MAIL_FROM").unwrap_or_else(|_| "qualcert <no-reply@qualcert.local>".into());
        SmtpMailer::new(&url, &from).map(Some)
    }

    /// Sends one message.
    pub async fn send(&self, mail: &Mail) -> Result<(), String> {
        let to: Mailbox = mail.to.parse().map_err(|e| format!("the address {:?}: {e}", mail.to))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()))
            .header(ContentType::TEXT_PLAIN)
            .header(ContentLanguage(mail.lang))
            .body(mail.body.clone())
            .map_err(|e| format!("the message: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("SMTP: {e}"))
    }
}

/// `Content-Language`, so a reader's client knows the message's language.
#[derive(Clone)]
struct ContentLanguage(&'static str);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(match s {
            "kk" => "kk",
            "ru" => "ru",
            _ => "en",
        }))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.to_owned())
    }
}

/// Text messages, for a phone. Only a log-only sender exists: no SMS gateway is reachable
/// from here, and the service must not pretend to have sent one.
pub trait Sms: Send + Sync {
    /// Sends `text` to `phone`.
    fn send(&self, phone: &str, text: &str) -> Result<(), String>;
}

/// Writes what would be sent to the log, with the number masked.
pub struct LogSms;

impl Sms for LogSms {
    fn send(&self, phone: &str, text: &str) -> Result<(), String> {
        let tail: String = phone.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
        tracing::info!(to = %format!("***{tail}"), chars = text.chars().count(), "sms (log only)");
        Ok(())
    }
}

/// A job's id as the log may carry it: a notice's id names the person's IIN, which stays out
/// of the log (logs name ids, never persons); the event's sequence number finds it.
fn loggable_job(id: &str) -> String {
    match store::jobs::notice_of(id) {
        Some((seq, _)) => format!("{}:{seq}", store::jobs::NOTICE),
        None => scrubbed(id),
    }
}

/// A text for the log with what names a person taken out: e-mail addresses (a mail server's
/// refusal quotes the recipient) and twelve-digit numbers (IINs).
fn scrubbed(text: &str) -> String {
    fn flush(word: &mut String, out: &mut String) {
        if word.contains('@') {
            out.push_str("<address>");
        } else if word.len() == 12 && word.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str("<iin>");
        } else {
            out.push_str(word);
        }
        word.clear();
    }
    let (mut out, mut word) = (String::with_capacity(text.len()), String::new());
    for c in text.chars() {
        if c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';' | '"' | '\'' | ':' | '(' | ')' | '[' | ']') {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The worker.
#[derive(Clone)]
pub struct Worker {
    store: Store,
    mailer: Option<Arc<SmtpMailer>>,
    public_url: String,
    /// Set when the process stops: no more claims; what was claimed and not begun is released.
    stopping: Arc<std::sync::atomic::AtomicBool>,
}

impl Worker {
    /// A worker on `store`; `mailer` `None` keeps mail off. Links in messages start with
    /// `public_url`.
    pub fn new(store: Store, mailer: Option<SmtpMailer>, public_url: &str) -> Worker {
        Worker {
            store,
            mailer: mailer.map(Arc::new),
            public_url: public_url.trim_end_matches('/').to_owned(),
            stopping: Arc::default(),
        }
    }

    /// Asks the worker to stop: it claims nothing more, finishes the deliveries it has begun
    /// (each marked done once sent), releases the rest of its claim at once, and `run` returns.
    pub fn stop(&self) {
        self.stopping.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Takes one due job at `now_ms` and does it; `Ok(None)` when nothing was due.
    ///
    /// A worker without a mail server claims nothing: every job it does is a delivery by mail,
    /// so the jobs wait, shown on `/admin`, for a worker that can send them.
    pub async fn run_once(&self, now_ms: i64) -> Result<Option<String>, store::StoreError> {
        if self.mailer.is_none() {
            return Ok(None);
        }
        let Some(job) = self.store.claim_job(now_ms, LEASE_MS).await? else { return Ok(None) };
        self.work(job, now_ms).await.map(Some)
    }

    /// Takes up to [`CLAIM_PER_PARALLEL`] × [`mail_parallel`] due jobs at `now_ms` in one
    /// claim and does them, [`mail_parallel`] at a time; how many were done.
    pub async fn run_batch(&self, now_ms: i64) -> Result<usize, store::StoreError> {
        use futures_util::StreamExt as _;
        if self.mailer.is_none() || self.is_stopping() {
            return Ok(0);
        }
        let claim = (mail_parallel() * CLAIM_PER_PARALLEL) as i64;
        let jobs = self.store.claim_jobs(now_ms, LEASE_MS, claim).await?;
        let n = jobs.len();
        let results: Vec<_> = futures_util::stream::iter(jobs)
            .map(|job| async move {
                // Stopping: what has not begun goes back at once, not when the lease runs out.
                if self.is_stopping() {
                    self.store.release_job(&job).await.map(|()| job.id)
                } else {
                    self.work(job, now_ms).await
                }
            })
            .buffer_unordered(mail_parallel())
            .collect()
            .await;
        results.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(n)
    }

    /// Does one claimed job and records how it went.
    async fn work(&self, job: store::jobs::Claimed, now_ms: i64) -> Result<String, store::StoreError> {
        // Marked durably before the SMTP transaction: a crash between here and `finish_job`
        // leaves the mark, and the job is sent again with the same Message-ID.
        self.store.mark_sending(&job.id, now_ms).await?;
        let result = match store::jobs::notice_of(&job.id) {
            Some((seq, iin)) if job.kind == store::jobs::NOTICE => self.deliver(seq, iin).await,
            _ if job.kind == store::escalation::ALERT => self.deliver_alert(&job.id).await,
            _ => Err(format!("no worker does jobs of kind {:?}", job.kind)),
        };
        match result {
            Ok(()) => self.store.finish_job(&job.id, now_ms).await?,
            Err(e) => {
                tracing::warn!(job = %loggable_job(&job.id), attempts = job.attempts, error = %scrubbed(&e), "job failed");
                self.store.fail_job(&job, &e, now_ms).await?;
            }
        }
        Ok(job.id)
    }

    /// Gives the escalation alerts due at `now` (`store::escalation`); their mail becomes jobs.
    pub async fn sweep(&self, now: jiff::Timestamp) -> Result<usize, store::StoreError> {
        let alerts = self.store.escalation_sweep(now, 10_000).await?;
        for a in &alerts {
            tracing::info!(case = %a.case_number, level = a.level.tag(), due = %a.due.on, "escalation");
        }
        // The holder's windows: reminders and missed re-issue windows (store::obligations).
        let acted = self.store.obligation_sweep(now, 10_000).await?;
        if acted > 0 {
            tracing::info!(acted, "holders' windows");
        }
        Ok(alerts.len() + acted as usize)
    }

    /// Works until the process ends: the escalation and windows sweep each minute, due jobs one after
    /// another, a short sleep when none is due.
    pub async fn run(self) {
        let mut swept: Option<std::time::Instant> = None;
        if self.mailer.is_none() {
            tracing::warn!(
                "mail is off (QUALCERT_SMTP_URL is not set): deliveries wait for a worker with a mail server"
            );
        }
        while !self.is_stopping() {
            if swept.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
                if let Err(e) = self.sweep(jiff::Timestamp::now()).await {
                    tracing::error!(error = %e, "the escalation sweep failed");
                }
                swept = Some(std::time::Instant::now());
            }
            match self.run_batch(jiff::Timestamp::now().as_millisecond()).await {
                Ok(n) if n > 0 => {}
                Ok(_) => tokio::time::sleep(Duration::from_secs(1)).await,
                Err(e) => {
                    tracing::error!(error = %e, "the worker could not reach the store");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        }
    }

    /// Mails the notice of event `seq` to `iin`, if they gave an address and mail is on.
    async fn deliver(&self, seq: i64, iin: &str) -> Result<(), String> {
        let Some(mailer) = &self.mailer else { return Ok(()) };
        let (email, lang) = match self.store.contact(iin).await.map_err(|e| e.to_string())? {
            Some((Some(email), lang)) => (email, lang),
            _ => return Ok(()),
        };
        let iin = rules::Iin::parse(iin).map_err(|e| format!("a notice job for {iin}: {e}"))?;
        let Some(notice) = self.store.notification(seq, &iin).await.map_err(|e| e.to_string())? else { return Ok(()) };
        let mail = self.compose(&notice, &email, &lang).await.map_err(|e| e.to_string())?;
        mailer.send(&mail).await
    }

    /// Mails an escalation alert (`escalation:CASE:DUE:LEVEL`) to the akimat's head, if the
    /// administrator gave an address for them and mail is on.
    async fn deliver_alert(&self, id: &str) -> Result<(), String> {
        let Some(mailer) = &self.mailer else { return Ok(()) };
        // `escalation:CASE:DUE:LEVEL` for the head, `…:user:ID` for one officer.
        let mut parts = id.splitn(5, ':').skip(1);
        let (Some(number), Some(due_on), Some(level)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("not an alert: {id}"));
        };
        let number = rules::numbers::CaseNumber::parse(number).map_err(|e| format!("{id}: {e}"))?;
        let Some(case) = self.store.case(&number).await.map_err(|e| e.to_string())? else { return Ok(()) };
        let akimat = case.application.akimat.to_string();
        let to = match parts.next() {
            Some(officer) => officer.to_owned(),
            None => head_contact(&akimat),
        };
        let Some((Some(email), lang)) = self.store.contact(&to).await.map_err(|e| e.to_string())? else {
            return Ok(());
        };
        let Some(r) = self.store.escalation(&number.to_string(), due_on, level).await.map_err(|e| e.to_string())?
        else {
            return Ok(());
        };
        let lang = rules::Lang::from_tag(&lang).unwrap_or(rules::Lang::Ru);
        let t = Tr::new(lang);
        let what = alert_line(&t, &r);
        let body = [
            what.clone(),
            t.ta("mail-link", &[("link", format!("{}/cases/{number}", self.public_url))]),
            t.t("mail-footer-head"),
        ]
        .join("\n\n");
        let mail = Mail {
            to: email,
            lang: lang.tag(),
            subject: what,
            body,
            message_id: format!("<alert-{number}-{due_on}-{level}-{}@qualcert>", to.replace(':', "-")),
        };
        mailer.send(&mail).await
    }

    /// The message of a notice, in `lang`: what happened, the stage now and the next deadline
    /// with its paragraph (for a case or a complaint), and the link.
    pub async fn compose(
        &self,
        notice: &store::notifications::Notification,
        to: &str,
        lang: &str,
    ) -> Result<Mail, store::StoreError> {
        let lang = rules::Lang::from_tag(lang).unwrap_or(rules::Lang::Ru);
        let t = Tr::new(lang);
        let (what, href) = crate::shared::notices::said(&t, notice);
        let (kind, number) = notice.subject();
        let due_line = |d: &rules::deadline::DueDate| {
            t.ta("mail-due", &[("date", d.on.to_string()), ("citation", d.citation.localized(lang))])
        };
        let mut lines = vec![what.clone()];
        match kind {
            "case" => {
                if let Ok(n) = number.parse()
                    && let Some(case) = self.store.case(&n).await?
                {
                    lines.push(t.ta("mail-stage", &[("stage", case.status_name(lang).to_owned())]));
                    lines.extend(case.due.as_ref().filter(|_| !case.state.is_terminal()).map(due_line));
                }
            }
            "complaint" => {
                if let Ok(n) = number.parse()
                    && let Some(c) = self.store.complaint(&n).await?
                {
                    lines.push(t.ta("mail-stage", &[("stage", c.state.name(lang).to_owned())]));
                    lines.extend(c.due.as_ref().map(due_line));
                }
            }
            _ => {}
        }
        lines.push(t.ta("mail-link", &[("link", format!("{}{href}", self.public_url))]));
        lines.push(String::new());
        lines.push(t.t("mail-footer"));
        Ok(Mail {
            to: to.to_owned(),
            lang: lang.tag(),
            subject: what,
            body: lines.join("\n\n"),
            message_id: format!("<notice-{}-{}@qualcert>", notice.global_seq, number),
        })
    }
}

#[cfg(test)]
mod tests {
    /// Issue 30: the worker's log names jobs and events, never a person's IIN or address.
    #[test]
    fn log_lines_carry_no_iin_and_no_address() {
        assert_eq!(super::loggable_job("notice:42:900101300401"), "notice:42");
        let e = "550 5.1.1 <maria@example.kz>: Recipient rejected for 900101300401 (notice:42:900101300401)";
        let s = super::scrubbed(e);
        assert!(!s.contains("maria") && !s.contains("900101300401"), "{s}");
        assert!(s.starts_with("550 5.1.1 <<address>>") && s.contains("notice:42:<iin>"), "{s}");
    }
}
