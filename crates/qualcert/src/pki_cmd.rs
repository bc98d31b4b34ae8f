//! `qualcert pki init|issue|crl import`, `qualcert sign`, `qualcert verify`: a local CA and
//! keys for development and the demo (RSA/EC, or GOST like the national CA's), CMS signatures,
//! and their verification against the national CA's roots, which are always trusted.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use docs::{GostIdentity, Identity, KeyKind, Signer};

use crate::{Outcome, pki_text};

#[derive(Subcommand)]
pub(crate) enum PkiCommand {
    /// Makes a local development CA in DATA/pki (ca.key.pem, ca.cert.pem); refuses to replace one.
    Init {
        /// A GOST R 34.10-2015 (512-bit) CA, as the national CA's: the service then signs
        /// with GOST keys through the same code as with production NCA keys.
        #[arg(long)]
        gost: bool,
        /// The CA's name.
        #[arg(long, default_value = "qualcert development CA")]
        name: String,
        /// Validity in days.
        #[arg(long, default_value_t = 3650)]
        days: u32,
    },
    /// Issues a signing key and certificate from the local CA: DATA/pki/STEM.key.pem and .cert.pem.
    Issue {
        /// The holder's name (the certificate's common name), e.g. "Almaty akimat".
        name: String,
        /// The key type (RSA by default); a GOST CA issues GOST keys.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// Validity in days.
        #[arg(long, default_value_t = 365)]
        days: u32,
        /// The file name stem (letters, digits and dashes); by default derived from the name.
        #[arg(long, conflicts_with = "person")]
        stem: Option<String>,
        /// A Commission member's key, found by their name when they sign the minutes.
        #[arg(long)]
        person: bool,
        /// The holder's IIN, named in the certificate (`serialNumber=IIN…`) as the national
        /// CA does: an applicant's key for signing their application.
        #[arg(long)]
        iin: Option<String>,
    },
    /// Certificate revocation lists.
    #[command(subcommand)]
    Crl(CrlCommand),
}

#[derive(Subcommand)]
pub(crate) enum CrlCommand {
    /// Checks a CRL's signature against the trusted CAs and keeps it in DATA/pki/crl, where
    /// `verify` and the service read it.
    Import {
        /// The CRL (DER or PEM), full or delta, as the national CA publishes it.
        file: PathBuf,
        /// Also trust the national CA's TEST CAs (for its test CRLs).
        #[arg(long)]
        nca_test: bool,
    },
}

/// Key types on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Kind {
    /// RSA-2048, RSA-SHA256 signatures (the national CA's RSA profile).
    Rsa,
    /// ECDSA P-256 with SHA-256.
    Ec,
}

fn pki_dir(data: &Path) -> PathBuf {
    data.join("pki")
}

/// A file name stem from a holder's name: ASCII letters and digits, the rest as dashes.
fn stem_of(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if s.is_empty() { "signer".to_owned() } else { s }
}

pub(crate) fn run(data: &Path, cmd: PkiCommand) -> Result<Outcome> {
    let dir = pki_dir(data);
    match cmd {
        PkiCommand::Init { name, days, gost } => {
            if dir.join("ca.key.pem").exists() {
                bail!("{} already holds a CA; remove it first to make a new one", dir.display());
            }
            if gost {
                GostIdentity::new_ca(&name, days)?.save(&dir, "ca")?;
            } else {
                Identity::new_ca(&name, days)?.save(&dir, "ca")?;
            }
            out!("CA \"{name}\": {}", dir.join("ca.cert.pem").display());
            out!("private key: {}", dir.join("ca.key.pem").display());
        }
        PkiCommand::Issue { name, kind, days, stem, person, iin } => {
            let iin = match iin {
                Some(raw) => {
                    Some(rules::Iin::parse(raw.trim()).map_err(|e| anyhow::anyhow!("--iin {raw}: {e}"))?.to_string())
                }
                None => None,
            };
            if !dir.join("ca.key.pem").exists() {
                bail!("no CA in {}; run `qualcert pki init` first", dir.display());
            }
            let ca = Signer::load(&dir.join("ca.key.pem"), &dir.join("ca.cert.pem"))?;
            let stem = if person {
                docs::Office::person_stem(&name, iin.as_deref())
            } else {
                stem_of(stem.as_deref().unwrap_or(&name))
            };
            if stem == "ca" || dir.join(format!("{stem}.key.pem")).exists() {
                bail!("{} already exists; choose another --stem", dir.join(format!("{stem}.key.pem")).display());
            }
            match (&ca, kind) {
                (Signer::Gost(gost), None) => gost.issue_for(&name, iin.as_deref(), days)?.save(&dir, &stem)?,
                (Signer::Gost(_), Some(_)) => {
                    bail!("the CA in {} is GOST: it issues GOST keys; omit --kind", dir.display())
                }
                (Signer::Openssl(ca), kind) => {
                    let kind = match kind.unwrap_or(Kind::Rsa) {
                        Kind::Rsa => KeyKind::Rsa2048,
                        Kind::Ec => KeyKind::EcP256,
                    };
                    ca.issue_for(&name, iin.as_deref(), kind, days)?.save(&dir, &stem)?;
                }
            }
            out!("key: {}", dir.join(format!("{stem}.key.pem")).display());
            out!("certificate: {}", dir.join(format!("{stem}.cert.pem")).display());
        }
        PkiCommand::Crl(CrlCommand::Import { file, nca_test }) => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let crl = kzpki::Crl::parse(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let mut store = trust_store(data, &TrustArgs { trust: Vec::new(), nca_test })?;
            let issuer = store.add_crl(crl.clone()).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let issuer_name = issuer.subject.common_name().to_owned();
            let crl_dir = dir.join("crl");
            std::fs::create_dir_all(&crl_dir).with_context(|| format!("creating {}", crl_dir.display()))?;
            let stem = docs::sha256_hex(&crl.issuer.der);
            let number = crl
                .number
                .as_deref()
                .map(kzpki::der::hex_upper)
                .unwrap_or_else(|| crl.this_update.as_second().to_string());
            let dest = crl_dir.join(format!("{}-{}-{number}.crl", &stem[..16], crl.kind()));
            let tmp = dest.with_extension("crl.tmp");
            std::fs::write(&tmp, &crl.der).with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, &dest).with_context(|| format!("writing {}", dest.display()))?;
            out!(
                "{} CRL of {issuer_name}: {} revoked, made {}, next {}; saved as {}",
                crl.kind(),
                crl.revoked.len(),
                crl.this_update,
                crl.next_update.map(|t| t.to_string()).unwrap_or_else(|| "not stated".into()),
                dest.display()
            );
        }
    }
    Ok(Outcome::Ok)
}

/// Where a signing key comes from on the command line.
pub(crate) enum KeySource {
    /// A key and certificate in PEM.
    Pem(PathBuf, PathBuf),
    /// A PKCS #12 file and the variable holding its password.
    P12(PathBuf, String),
}

impl KeySource {
    pub(crate) fn new(
        key: Option<PathBuf>,
        cert: Option<PathBuf>,
        p12: Option<PathBuf>,
        password_env: &str,
    ) -> KeySource {
        match (key, cert, p12) {
            (_, _, Some(p12)) => KeySource::P12(p12, password_env.to_owned()),
            (Some(key), Some(cert), None) => KeySource::Pem(key, cert),
            // clap requires one of the two forms.
            _ => KeySource::P12(PathBuf::new(), password_env.to_owned()),
        }
    }

    fn load(&self, lang: rules::Lang) -> Result<Signer> {
        match self {
            KeySource::Pem(key, cert) => Ok(Signer::load(key, cert)?),
            KeySource::P12(path, var) => {
                let shown = path.display().to_string();
                let Ok(password) = std::env::var(var) else {
                    bail!(
                        "{}",
                        match lang {
                            rules::Lang::Kk => format!("{var} айнымалысына {shown} құпиясөзін жазыңыз"),
                            rules::Lang::Ru => format!("задайте пароль к {shown} в переменной {var}"),
                            rules::Lang::En => format!("set {var} to the password of {shown}"),
                        }
                    );
                };
                let bytes = std::fs::read(path).map_err(|e| {
                    anyhow::anyhow!("{}", pki_text::unusable(lang, &shown, &kzpki::Error::Io(e.to_string())))
                })?;
                let ks = kzpki::p12::KeyStore::open(&bytes, &password)
                    .map_err(|e| anyhow::anyhow!("{}", pki_text::unusable(lang, &shown, &e)))?;
                Ok(Signer::Gost(GostIdentity::from_key_store(ks)))
            }
        }
    }
}

/// What `verify` trusts beyond the national CA's production roots.
pub(crate) struct TrustArgs {
    pub(crate) trust: Vec<PathBuf>,
    pub(crate) nca_test: bool,
}

/// The national CA's production roots, DATA/pki's CA and CRLs (and its `nca-test` choice),
/// and whatever `--trust` names.
fn trust_store(data: &Path, args: &TrustArgs) -> Result<kzpki::TrustStore> {
    let pki = pki_dir(data);
    let mut store = kzpki::TrustStore::production();
    if args.nca_test || docs::Office::trusts_nca_test(&pki) {
        store = store.with_nca_test();
    }
    let mut crls = Vec::new();
    let local = pki.join("ca.cert.pem");
    if local.exists() {
        add_trust_file(&mut store, &local, &mut crls)?;
    }
    for path in &args.trust {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("reading {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            for p in entries {
                add_trust_file(&mut store, &p, &mut crls)?;
            }
        } else {
            add_trust_file(&mut store, path, &mut crls)?;
        }
    }
    store.add_crl_dir(&pki.join("crl")).map_err(|e| anyhow::anyhow!("{e}"))?;
    for p in crls {
        let bytes = std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
        let crl = kzpki::Crl::parse(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
        store.add_crl(crl).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
    }
    Ok(store)
}

fn add_trust_file(store: &mut kzpki::TrustStore, path: &Path, crls: &mut Vec<PathBuf>) -> Result<()> {
    if path.extension().is_some_and(|e| e == "crl") {
        crls.push(path.to_path_buf());
        return Ok(());
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    store.add_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(())
}

/// `qualcert sign FILE (--key K --cert C | --p12 P [--password-env VAR]) [--attached] [--out SIG]`.
pub(crate) fn sign(
    file: &Path,
    source: KeySource,
    attached: bool,
    out: Option<PathBuf>,
    lang: rules::Lang,
) -> Result<Outcome> {
    let content = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let signer = source.load(lang)?;
    let signature = match (&signer, attached) {
        (Signer::Gost(g), true) => g.sign_with(&content, true)?,
        (Signer::Openssl(_), true) => bail!("--attached is for GOST keys; RSA and EC signatures are detached"),
        (_, false) => signer.sign(&content)?,
    };
    let out = out.unwrap_or_else(|| {
        let mut p = file.as_os_str().to_owned();
        p.push(".p7s");
        PathBuf::from(p)
    });
    std::fs::write(&out, signature).with_context(|| format!("writing {}", out.display()))?;
    out!("{}", out.display());
    Ok(Outcome::Ok)
}

/// `qualcert verify [FILE] SIG [--trust PEM_OR_DIR]… [--nca-test] [--at T] [--json]`: exit 0
/// when genuine, 1 when not (with the reason), 2 when the input is unusable.
pub(crate) fn verify(
    data: &Path,
    paths: &[PathBuf],
    trust: &TrustArgs,
    at: Option<jiff::Timestamp>,
    json: bool,
    lang: rules::Lang,
) -> Result<Outcome> {
    let (file, signature) = match paths {
        [sig] => (None, sig),
        [file, sig] => (Some(file), sig),
        _ => bail!("give the signed file and the signature, or only an attached signature"),
    };
    let sig = std::fs::read(signature).with_context(|| format!("reading {}", signature.display()))?;
    let content = match file {
        Some(f) => Some(std::fs::read(f).with_context(|| format!("reading {}", f.display()))?),
        None => None,
    };
    let store = trust_store(data, trust)?;
    let shown = file.unwrap_or(signature).display().to_string();
    let sig_name = signature.display().to_string();
    if let Err(e) = kzpki::cms::SignedData::parse(&sig) {
        bail!("{}", pki_text::unusable(lang, &sig_name, &e));
    }
    let opts = kzpki::VerifyOptions { now: jiff::Timestamp::now(), at };
    let report = match kzpki::cms::verify(&sig, content.as_deref(), &store, &opts) {
        Ok(r) => r,
        Err(e) if e.is_unusable() => bail!("{}", pki_text::unusable(lang, &sig_name, &e)),
        Err(e) => {
            let reason = pki_text::unusable(lang, &shown, &e);
            if json {
                out!(
                    "{}",
                    serde_json::json!({ "file": shown, "valid": false, "error": e.to_string(), "reason": reason, "signers": [] })
                );
            } else {
                out!("{}", pki_text::verdict(lang, &shown, false, 0));
                out!("  {reason}");
            }
            return Ok(Outcome::No);
        }
    };
    if report.is_unusable() && !report.is_valid() {
        let why = match lang {
            rules::Lang::En => report.signers.iter().find_map(|s| s.error.clone()).unwrap_or_default(),
            _ => pki_text::failure_text(lang, &kzpki::Failure::Unusable),
        };
        bail!("{sig_name}: {why}");
    }
    if json {
        out!("{}", report_json(&shown, &report, lang));
    } else {
        print_report(&shown, &report, lang);
    }
    Ok(if report.is_valid() { Outcome::Ok } else { Outcome::No })
}

fn holder(kind: Option<kzpki::x509::HolderKind>, l: &pki_text::Labels) -> Option<&'static str> {
    kind.map(|k| match k {
        kzpki::x509::HolderKind::Individual => l.individual,
        kzpki::x509::HolderKind::LegalEntityEmployee => l.employee,
    })
}

fn print_report(shown: &str, report: &kzpki::Report, lang: rules::Lang) {
    let l = pki_text::labels(lang);
    out!("{}", pki_text::verdict(lang, shown, report.is_valid(), report.signers.len()));
    for (i, s) in report.signers.iter().enumerate() {
        out!("{}", pki_text::signer_line(lang, i + 1, s.failure.as_ref(), s.error.as_deref()));
        // The distinguished name's attribute names are English: Kazakh and Russian readers
        // get the holder's name.
        let subject = match (lang, &s.certificate) {
            (rules::Lang::En, _) | (_, None) => s.subject.clone(),
            (_, Some(c)) => c.subject.common_name().to_owned(),
        };
        out!("  {}: {subject}", l.subject);
        if let Some(iin) = &s.iin {
            out!("  {}: {iin}", l.iin);
        }
        if let Some(bin) = &s.bin {
            out!("  {}: {bin}", l.bin);
        }
        if let Some(h) = holder(s.holder, &l) {
            out!("  {}: {h}", l.holder);
        }
        let algorithm = match lang {
            rules::Lang::En => s.algorithm.clone(),
            _ => s.algorithm.replace("GOST R", "ГОСТ Р").replace("GOST", "ГОСТ"),
        };
        out!("  {}: {algorithm}", l.algorithm);
        if let Some(t) = s.signing_time {
            out!("  {}: {t}", l.signing_time);
        }
        if let Some(ts) = &s.time_stamp {
            out!("  {}: {} ({} {})", l.time_stamp, ts.time, l.by, ts.authority);
        }
        out!("  {}: {} ({})", l.judged_at, s.judged_at, pki_text::basis(lang, s.time_basis));
        if !s.chain.is_empty() {
            out!("  {}: {}", l.chain, s.chain.join(" ← "));
        }
        if let Some(r) = &s.revocation {
            out!("  {}: {}", l.revocation, pki_text::revocation(lang, r));
        }
        if lang == rules::Lang::En {
            for note in &s.notes {
                out!("  note: {note}");
            }
        }
    }
}

/// A stable name for each kind of failure, for scripts reading `--json`.
fn failure_code(f: &kzpki::Failure) -> &'static str {
    use kzpki::Failure as F;
    match f {
        F::Unusable => "unusable",
        F::MissingCertificate => "missing_certificate",
        F::ContentMismatch => "content_mismatch",
        F::BadSignature => "bad_signature",
        F::TimeStamp => "time_stamp",
        F::FromTheFuture { .. } => "from_the_future",
        F::NotForSigning => "not_for_signing",
        F::Expired { .. } => "expired",
        F::NotYetValid { .. } => "not_yet_valid",
        F::Untrusted => "untrusted",
        F::Revoked { .. } => "revoked",
    }
}

fn report_json(shown: &str, report: &kzpki::Report, lang: rules::Lang) -> serde_json::Value {
    let l = pki_text::labels(lang);
    let signers: Vec<serde_json::Value> = report
        .signers
        .iter()
        .map(|s| {
            serde_json::json!({
                "valid": s.error.is_none(),
                "failure": s.failure.as_ref().map(failure_code),
                "reason": s.failure.as_ref().map(|f| pki_text::failure_text(lang, f)),
                "error": s.error,
                "subject": s.subject,
                "iin": s.iin,
                "bin": s.bin,
                "holder": holder(s.holder, &l),
                "algorithm": s.algorithm,
                "signing_time": s.signing_time.map(|t| t.to_string()),
                "time_stamp": s.time_stamp.as_ref().map(|t| serde_json::json!({ "time": t.time.to_string(), "authority": t.authority })),
                "judged_at": s.judged_at.to_string(),
                "time_basis": pki_text::basis(lang, s.time_basis),
                "chain": s.chain,
                "revocation": s.revocation.as_ref().map(|r| pki_text::revocation(lang, r)),
                "revoked": matches!(s.revocation, Some(kzpki::Revocation::Revoked { .. })),
                "notes": s.notes,
            })
        })
        .collect();
    serde_json::json!({ "file": shown, "valid": report.is_valid(), "attached": report.attached, "signers": signers })
}

#[cfg(test)]
mod tests {
    #[test]
    fn stems_are_plain_file_names() {
        assert_eq!(super::stem_of("Almaty akimat"), "almaty-akimat");
        assert_eq!(super::stem_of("../../etc"), "etc");
        assert_eq!(super::stem_of("Алматы"), "signer");
    }
}
