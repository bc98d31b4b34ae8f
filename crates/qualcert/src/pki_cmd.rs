//! `qualcert pki init|issue`, `qualcert sign`, `qualcert verify`: a local CA and keys for
//! development and the demo, and detached CMS signatures anyone can check with OpenSSL.
//! Production configures the national CA's roots instead of `pki init`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use docs::{Identity, KeyKind, OpensslVerifier, Verifier};

use crate::Outcome;

#[derive(Subcommand)]
pub(crate) enum PkiCommand {
    /// Makes a local development CA in DATA/pki (ca.key.pem, ca.cert.pem); refuses to replace one.
    Init {
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
        /// The key type.
        #[arg(long, value_enum, default_value_t = Kind::Rsa)]
        kind: Kind,
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
        PkiCommand::Init { name, days } => {
            if dir.join("ca.key.pem").exists() {
                bail!("{} already holds a CA; remove it first to make a new one", dir.display());
            }
            Identity::new_ca(&name, days)?.save(&dir, "ca")?;
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
            let ca = Identity::load(&dir.join("ca.key.pem"), &dir.join("ca.cert.pem"))
                .with_context(|| format!("no CA in {}; run `qualcert pki init` first", dir.display()))?;
            let stem =
                if person { docs::Office::person_stem(&name) } else { stem_of(stem.as_deref().unwrap_or(&name)) };
            if stem == "ca" || dir.join(format!("{stem}.key.pem")).exists() {
                bail!("{} already exists; choose another --stem", dir.join(format!("{stem}.key.pem")).display());
            }
            let kind = match kind {
                Kind::Rsa => KeyKind::Rsa2048,
                Kind::Ec => KeyKind::EcP256,
            };
            ca.issue_for(&name, iin.as_deref(), kind, days)?.save(&dir, &stem)?;
            out!("key: {}", dir.join(format!("{stem}.key.pem")).display());
            out!("certificate: {}", dir.join(format!("{stem}.cert.pem")).display());
        }
    }
    Ok(Outcome::Ok)
}

/// `qualcert sign FILE --key K --cert C [--out SIG]`: a detached CMS signature (DER).
pub(crate) fn sign(file: &Path, key: &Path, cert: &Path, out: Option<PathBuf>) -> Result<Outcome> {
    let content = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let signer = Identity::load(key, cert)?;
    let out = out.unwrap_or_else(|| {
        let mut p = file.as_os_str().to_owned();
        p.push(".p7s");
        PathBuf::from(p)
    });
    std::fs::write(&out, signer.sign(&content)?).with_context(|| format!("writing {}", out.display()))?;
    out!("{}", out.display());
    Ok(Outcome::Ok)
}

/// `qualcert verify FILE SIG [--ca CA.pem]`: exit 0 when genuine, 1 with the reason when not.
pub(crate) fn verify(data: &Path, file: &Path, signature: &Path, ca: Option<PathBuf>) -> Result<Outcome> {
    let ca = ca.unwrap_or_else(|| pki_dir(data).join("ca.cert.pem"));
    let verifier = OpensslVerifier::from_pem_file(&ca).context("reading the trust roots")?;
    let content = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let sig = std::fs::read(signature).with_context(|| format!("reading {}", signature.display()))?;
    match verifier.verify(&sig, &content) {
        Ok(signed) => {
            out!("{}: genuine, signed by {} (chains to {})", file.display(), signed.signers.join(", "), ca.display());
            Ok(Outcome::Ok)
        }
        Err(e) => {
            out!("{}: NOT genuine: {e}", file.display());
            Ok(Outcome::No)
        }
    }
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
