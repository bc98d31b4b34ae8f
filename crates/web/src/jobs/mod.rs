//! The background work: the worker that takes due jobs and delivers each notice by mail. It
//! stands on `shared` (a notice in words is the inbox's) and `edge`, never on a page.

mod mail;

pub use mail::{LogSms, Mail, Sms, SmtpMailer, Worker, mail_parallel};
