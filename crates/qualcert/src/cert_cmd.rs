//! `qualcert certificate list`: the register of certificates for people at a terminal and for
//! scripts, one a line, its number first, with the status judged on each akimat's own date.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use docs::Office;
use jiff::civil::Date;
use rules::certificate::{CertState, Certificate, Status};
use rules::text::Lang;

use crate::Outcome;
use crate::store_cmd::{DatabaseArg, open};

#[derive(Subcommand)]
pub(crate) enum CertificateCommand {
    /// Lists certificates by number: number, status (active, expired, revoked, superseded), what
    /// happened to it, validity, akimat, profession, holder (tab-separated).
    List {
        /// Only certificates in this status.
        #[arg(long, value_enum)]
        status: Option<StatusFilter>,
        /// The register as it stood on this date (certificates issued by then, their status
        /// then) instead of today in each akimat's time zone.
        #[arg(long)]
        date: Option<Date>,
    },
    /// Writes NUMBER.pdf (App.3), its detached signature NUMBER.pdf.p7s and the CA's
    /// certificate ca.pem into DIR, so anyone can check it with `openssl cms -verify`.
    Export {
        /// The certificate number.
        number: String,
        #[command(flatten)]
        to: ExportTo,
        /// A copy marked as a duplicate (R9.2; only when one was issued).
        #[arg(long)]
        duplicate: bool,
        /// The service's public address, for the QR code of the verification page.
        #[arg(long, env = "QUALCERT_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
}

/// Where and how documents are exported: shared by `certificate export` and `case export`.
#[derive(clap::Args)]
pub(crate) struct ExportTo {
    /// The directory to write into (made if missing).
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// The language of the forms.
    #[arg(long, value_enum, default_value_t = FormLang::Kk)]
    pub(crate) lang: FormLang,
    /// The signing office: signer.key.pem and .cert.pem (or akimat-CODE.*), ca.cert.pem and
    /// token.key; DATA/pki by default.
    #[arg(long)]
    pub(crate) pki: Option<PathBuf>,
}

/// The signing office of `pki` (DATA/pki by default), or how to make one.
pub(crate) fn load_office(data: &Path, pki: Option<PathBuf>) -> Result<std::sync::Arc<Office>> {
    let pki = pki.unwrap_or_else(|| data.join("pki"));
    let office = Office::load(&pki).with_context(|| {
        format!(
            "no signing office in {}; for development run `qualcert pki init` and \
             `qualcert pki issue \"NAME\" --stem signer`, or pass --pki",
            pki.display()
        )
    })?;
    Ok(std::sync::Arc::new(office))
}

/// Writes `bytes` to `dir/name` and prints the path.
pub(crate) fn write_out(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("making {}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    out!("{}", path.display());
    Ok(())
}

/// The languages of the official forms.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum FormLang {
    /// Kazakh.
    Kk,
    /// Russian.
    Ru,
}

/// The statuses a list can be narrowed to.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatusFilter {
    /// Valid: as issued or extended.
    Active,
    /// The term has ended (R7.2).
    Expired,
    /// Revoked under a control body's act (R7.1).
    Revoked,
    /// Replaced by a re-issued certificate (R8.3).
    Superseded,
}

impl FormLang {
    /// The form's language for the documents crate.
    pub(crate) fn form(self) -> docs::pdf::Lang {
        match self {
            FormLang::Kk => docs::pdf::Lang::Kk,
            FormLang::Ru => docs::pdf::Lang::Ru,
        }
    }
}

impl StatusFilter {
    /// The filter that selects `state`: its name is the list's status column.
    fn of(state: CertState) -> StatusFilter {
        match state {
            CertState::Valid => StatusFilter::Active,
            CertState::Expired => StatusFilter::Expired,
            CertState::Revoked => StatusFilter::Revoked,
            CertState::Superseded => StatusFilter::Superseded,
        }
    }
}

fn line(c: &Certificate, s: &Status) -> String {
    let name = c.holder.full_name();
    let column = StatusFilter::of(s.state()).to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default();
    format!(
        "{}\t{column}\t{}\t{}..{}\t{}\t{}\t{name}",
        c.number,
        s.describe(Lang::En),
        c.valid_from,
        c.valid_to,
        c.akimat,
        c.profession
    )
}

pub(crate) async fn run(data: &Path, db: &DatabaseArg, cmd: CertificateCommand) -> Result<Outcome> {
    match cmd {
        CertificateCommand::List { status, date } => list(data, db, status, date).await,
        CertificateCommand::Export { number, to: ExportTo { out, lang, pki }, duplicate, public_url } => {
            let office = load_office(data, pki)?;
            let store = open(data, db).await?;
            let parsed = rules::numbers::CertificateNumber::parse(number.trim())
                .map_err(|e| anyhow::anyhow!("{}: not a certificate number: {e}", number.trim()))?;
            let Some(c) = store.certificate(&parsed).await? else {
                bail!("no certificate {parsed} in this register");
            };
            if duplicate && c.duplicates.is_empty() {
                bail!("no duplicate of {parsed} was issued (Rules §22-1, R9.2); export the original");
            }
            // The same document the service hands its holder: made and kept once.
            let kept =
                web::certificate_document(&store, &office, &public_url, &c, lang.form(), duplicate, Some(0)).await?;
            write_out(&out, &format!("{}.pdf", c.number), &kept.pdf)?;
            write_out(&out, "ca.pem", office.roots_pem())?;
            // Rules §13: where the akimat's authorised person signs, the signature may still
            // be awaited; the PDF alone is written, and the command says so.
            if kept.signature.is_empty() {
                bail!(
                    "{}.pdf written; its signature awaits the authorised person, {} (Rules §13)",
                    c.number,
                    kept.signer
                );
            }
            write_out(&out, &format!("{}.pdf.p7s", c.number), &kept.signature)?;
            Ok(Outcome::Ok)
        }
    }
}

async fn list(data: &Path, db: &DatabaseArg, status: Option<StatusFilter>, date: Option<Date>) -> Result<Outcome> {
    let store = open(data, db).await?;
    let now = jiff::Timestamp::now();
    for c in store.certificates().await? {
        let on = match date {
            Some(d) => d,
            None => store.today(&c.akimat, now)?,
        };
        if c.issued_on > on {
            continue;
        }
        let s = c.status_on(on);
        if status.is_none_or(|f| f == StatusFilter::of(s.state())) {
            out!("{}", line(&c, &s));
        }
    }
    Ok(Outcome::Ok)
}
