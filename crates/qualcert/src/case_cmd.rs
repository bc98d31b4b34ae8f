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
}

pub(crate) async fn run(data: &Path, db: &DatabaseArg, cmd: CaseCommand) -> Result<Outcome> {
    let CaseCommand::Export { number, to: ExportTo { out, lang, pki } } = cmd;
    let office = load_office(data, pki)?;
    let store = open(data, db).await?;
    let parsed = rules::numbers::CaseNumber::parse(number.trim())
        .map_err(|e| anyhow::anyhow!("{}: not a case number: {e}", number.trim()))?;
    let Some(case) = store.case(&parsed.to_string()).await? else {
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
