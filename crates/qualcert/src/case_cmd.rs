//! `qualcert case export`: a case's documents for the file or the archive, the same bytes the
//! service hands out: the application (App.1) with the applicant's signatures, the
//! Commission's minutes with each member's signature, the reasoned refusal with the
//! authorised person's, and the trust roots to check them with `openssl cms -verify`.

use std::path::Path;

use anyhow::{Result, bail};
use clap::Subcommand;
use web::CaseDoc;

use crate::Outcome;
use crate::cert_cmd::{ExportTo, load_office, write_out};
use crate::store_cmd::{DatabaseArg, open};

#[derive(Subcommand)]
pub(crate) enum CaseCommand {
    /// Writes NUMBER-application-LANG.pdf (and NUMBER-application.N.json with its .p7s for
    /// each signature the applicant sent), NUMBER-minutes-LANG.pdf (and NUMBER-minutes.json,
    /// the record the members signed, with NUMBER-minutes.json.MEMBER.p7s for each member's
    /// signature), NUMBER-refusal-LANG.pdf with its .p7s, and ca.pem into DIR.
    Export {
        /// The case number.
        number: String,
        #[command(flatten)]
        to: ExportTo,
    },
    /// Decides every recorded step of case NUMBER again through the rules (the rule set,
    /// criteria and calendar held now, each step at its own instant) and says for each whether
    /// it agrees with what was recorded. Exit 0 when all agree, 1 when any differs.
    Replay {
        /// The case number.
        number: String,
        /// JSON (`steps`, each with `verdict`; `differs`, a count) instead of lines.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) async fn run(data: &Path, db: &DatabaseArg, cmd: CaseCommand) -> Result<Outcome> {
    let (number, ExportTo { out, lang, pki }) = match cmd {
        CaseCommand::Export { number, to } => (number, to),
        CaseCommand::Replay { number, json } => return replay(data, db, &number, json).await,
    };
    let office = load_office(data, pki)?;
    let store = open(data, db).await?;
    let parsed = rules::numbers::CaseNumber::parse(number.trim())
        .map_err(|e| anyhow::anyhow!("{}: not a case number: {e}", number.trim()))?;
    let Some(case) = store.case(&parsed).await? else {
        bail!("no case {parsed} in this register");
    };
    let tag = lang.form().tag();
    let n = case.number.to_string();
    for (doc, name) in
        [(CaseDoc::Application, "application"), (CaseDoc::Minutes, "minutes"), (CaseDoc::Refusal, "refusal")]
    {
        let mut index = 0;
        while let Some(kept) = web::case_document(&store, &office, &case, doc, lang.form(), index).await? {
            if index == 0 {
                write_out(&out, &format!("{n}-{name}-{tag}.pdf"), &kept.pdf)?;
            }
            if kept.signature.is_empty() {
                break;
            }
            write_out(&out, &format!("{n}-{name}-{tag}.pdf.p7s"), &kept.signature)?;
            index += 1;
        }
    }
    for (i, s) in store.application_signatures(&n).await?.iter().enumerate() {
        write_out(&out, &format!("{n}-application.{i}.json"), s.content.as_bytes())?;
        write_out(&out, &format!("{n}-application.{i}.json.p7s"), &s.signature)?;
    }
    if let Some(minutes) = store.minutes_draft(&n).await? {
        write_out(&out, &format!("{n}-minutes.json"), minutes.content.as_bytes())?;
        for s in &minutes.signatures {
            write_out(&out, &format!("{n}-minutes.json.{}.p7s", s.member), &s.signature)?;
        }
    }
    write_out(&out, "ca.pem", office.roots_pem())?;
    Ok(Outcome::Ok)
}

/// `case replay NUMBER [--json]`.
async fn replay(data: &Path, db: &DatabaseArg, number: &str, json: bool) -> Result<Outcome> {
    let store = open(data, db).await?;
    let parsed = rules::numbers::CaseNumber::parse(number.trim())
        .map_err(|e| anyhow::anyhow!("{}: not a case number: {e}", number.trim()))?;
    let Some(r) = store.replay_case(&parsed.to_string()).await? else {
        bail!("no case {parsed} in this register");
    };
    if json {
        out!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        for s in &r.steps {
            let what = s.differs.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
            out!("{:>8} {:<14} {}{what} [{}; {}]", s.seq, s.event, s.verdict, s.citation, s.rule_set);
        }
        out!("case {}: {} steps, {} differ", r.number, r.steps.len(), r.differs);
    }
    Ok(if r.differs == 0 { Outcome::Ok } else { Outcome::No })
}
