//! What is trusted, and how a certificate is judged at an instant.
//!
//! The default store is the national CA's production hierarchy, shipped in the binary: the
//! GOST 2022 root and issuing CA (GOST R 34.10-2015, 512-bit, valid to 2045), the legacy GOST
//! root and issuing CA (GOST 34.310-2004) and the RSA ones. The NCA's TEST root and issuing
//! CA are trusted only when asked for ([`TrustStore::with_nca_test`]): a test key must never
//! pass for a real person. Intermediates come from the store and from the signature itself;
//! only roots are anchors.

use jiff::Timestamp;

use crate::Error;
use crate::crl::Crl;
use crate::ocsp::{self, OcspResponder, OcspStatus};
use crate::x509::{Certificate, key_usage};

const PRODUCTION: [(&str, &[u8]); 6] = [
    ("root_gost_2022.pem", include_bytes!("../trust/prod/root_gost_2022.pem")),
    ("nca_gost_2022.pem", include_bytes!("../trust/prod/nca_gost_2022.pem")),
    ("root_gost.pem", include_bytes!("../trust/prod/root_gost.pem")),
    ("nca_gost.pem", include_bytes!("../trust/prod/nca_gost.pem")),
    ("root_rsa.pem", include_bytes!("../trust/prod/root_rsa.pem")),
    ("nca_rsa.pem", include_bytes!("../trust/prod/nca_rsa.pem")),
];

const NCA_TEST: [(&str, &[u8]); 2] = [
    ("root_test_gost_2022.cer", include_bytes!("../trust/test/root_test_gost_2022.cer")),
    ("nca_gost2022_test.cer", include_bytes!("../trust/test/nca_gost2022_test.cer")),
];

/// Trust anchors, intermediates, revocation lists and an OCSP responder.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    roots: Vec<Certificate>,
    intermediates: Vec<Certificate>,
    crls: Vec<Crl>,
    ocsp: Option<Ocsp>,
}

/// The OCSP responder asked before the CRLs.
#[derive(Clone)]
struct Ocsp(std::sync::Arc<dyn OcspResponder>);

impl std::fmt::Debug for Ocsp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OcspResponder")
    }
}

/// Revocation status of one certificate at the instant it is judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revocation {
    /// A CRL of its issuer covers it and does not list it.
    Good {
        /// The newest CRL's date.
        crl_this_update: Timestamp,
        /// Whether that CRL was already past its next update at the instant judged.
        stale: bool,
    },
    /// Revoked on `date`, which is before the instant judged.
    Revoked {
        /// When.
        date: Timestamp,
        /// RFC 5280 reason code.
        reason: Option<u8>,
    },
    /// Revoked on `date`, after the instant judged: a signature made before stays valid.
    RevokedLater {
        /// When.
        date: Timestamp,
    },
    /// An OCSP responder said it is not revoked.
    OcspGood {
        /// As of when.
        this_update: Timestamp,
    },
    /// No CRL of its issuer is loaded (and no OCSP answer).
    Unknown,
    /// The OCSP responder could not answer (and no CRL covers it): why.
    Unchecked(String),
}

impl Revocation {
    /// One line for reports.
    pub fn describe(&self) -> String {
        match self {
            Revocation::Good { crl_this_update, stale: false } => format!("not revoked (CRL of {crl_this_update})"),
            Revocation::Good { crl_this_update, stale: true } => {
                format!("not revoked in the latest CRL loaded ({crl_this_update}), which is past its next update")
            }
            Revocation::Revoked { date, .. } => format!("revoked on {date}"),
            Revocation::RevokedLater { date } => format!("revoked on {date}, after signing"),
            Revocation::OcspGood { this_update } => format!("not revoked (OCSP, {this_update})"),
            Revocation::Unknown => "not checked: no CRL of the issuer is loaded".into(),
            Revocation::Unchecked(why) => format!("not checked: {why}"),
        }
    }
}

impl TrustStore {
    /// Nothing trusted.
    pub fn empty() -> TrustStore {
        TrustStore::default()
    }

    /// The national CA's production roots and issuing CAs.
    pub fn production() -> TrustStore {
        let mut s = TrustStore::empty();
        for (name, pem) in PRODUCTION {
            let cert = Certificate::parse(pem).unwrap_or_else(|e| panic!("shipped certificate {name}: {e}"));
            s.add(cert);
        }
        s
    }

    /// Whether `root` is one of the national CA's own roots (production or test), as shipped:
    /// what lets a page say a key was issued by the National Certification Authority, rather
    /// than by a local development CA that an installation also trusts.
    pub fn is_national(root: &Certificate) -> bool {
        // Parsed once: every verification asks.
        static NATIONAL: std::sync::LazyLock<Vec<Vec<u8>>> = std::sync::LazyLock::new(|| {
            PRODUCTION
                .iter()
                .chain(NCA_TEST.iter())
                .filter_map(|(_, b)| Certificate::parse(b).ok())
                .map(|c| c.der)
                .collect()
        });
        NATIONAL.contains(&root.der)
    }

    /// This store plus the NCA's TEST root and issuing CA.
    pub fn with_nca_test(mut self) -> TrustStore {
        for (name, der) in NCA_TEST {
            let cert = Certificate::parse(der).unwrap_or_else(|e| panic!("shipped certificate {name}: {e}"));
            self.add(cert);
        }
        self
    }

    /// Adds a certificate: a self-signed one as a root, any other as an intermediate. A GOST
    /// CA's key gets a table that verifies its signatures faster ([`crate::GostCurve::keep_table`]):
    /// every user's certificate, CRL and OCSP answer is checked under one of a few such keys.
    pub fn add(&mut self, cert: Certificate) {
        let list = if cert.issuer.der == cert.subject.der { &mut self.roots } else { &mut self.intermediates };
        if let Some(curve) = cert.gost_curve() {
            // A key that is not a point of its curve gets no table; its signatures fail anyway.
            let _ = curve.keep_table(&cert.public_key);
        }
        if !list.iter().any(|c| c.der == cert.der) {
            list.push(cert);
        }
    }

    /// Adds every certificate of a PEM file, a DER file or base64.
    pub fn add_bytes(&mut self, bytes: &[u8]) -> Result<usize, Error> {
        let all = crate::pem::decode_all(bytes, "CERTIFICATE")?;
        let n = all.len();
        for der in all {
            self.add(Certificate::from_der(&der)?);
        }
        Ok(n)
    }

    /// Adds a CRL after checking its issuer's signature; refuses one no known CA signed.
    pub fn add_crl(&mut self, crl: Crl) -> Result<&Certificate, Error> {
        let issuer = self
            .roots
            .iter()
            .chain(self.intermediates.iter())
            .find(|c| c.subject.der == crl.issuer.der && crl.verify_signed_by(c).is_ok())
            .ok_or_else(|| {
                Error::Invalid(format!("no trusted CA signed this CRL (issuer {})", crl.issuer.display()))
            })?;
        if !self.crls.iter().any(|c| c.der == crl.der) {
            self.crls.push(crl);
        }
        Ok(issuer)
    }

    /// Adds every CRL (`*.crl`) of a directory, each checked as [`TrustStore::add_crl`] does;
    /// a missing directory adds none. Returns how many.
    pub fn add_crl_dir(&mut self, dir: &std::path::Path) -> Result<usize, Error> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Ok(0) };
        let mut paths: Vec<_> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "crl")).collect();
        paths.sort();
        for path in &paths {
            let bytes = std::fs::read(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
            let crl = Crl::parse(&bytes).map_err(|e| Error::Malformed(format!("{}: {e}", path.display())))?;
            self.add_crl(crl).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
        }
        Ok(paths.len())
    }

    /// Asks `responder` first whenever revocation is checked (OCSP), then the CRLs.
    pub fn set_ocsp(&mut self, responder: std::sync::Arc<dyn OcspResponder>) {
        self.ocsp = Some(Ocsp(responder));
    }

    /// The roots.
    pub fn roots(&self) -> &[Certificate] {
        &self.roots
    }

    /// A path from `leaf` to a trusted root, each certificate valid at `at`, every
    /// signature checked, CA constraints honoured. `extra` are certificates that came with
    /// the signature. The path starts with the leaf and ends with the root.
    pub fn build_path(
        &self,
        leaf: &Certificate,
        extra: &[Certificate],
        at: Timestamp,
    ) -> Result<Vec<Certificate>, Error> {
        if !leaf.unknown_critical.is_empty() {
            return Err(Error::Invalid(format!("unknown critical extension {}", leaf.unknown_critical.join(", "))));
        }
        check_dates(leaf, at)?;
        let mut path = vec![leaf.clone()];
        let mut last_error = None;
        if self.extend(&mut path, extra, at, &mut last_error) {
            return Ok(path);
        }
        Err(last_error.unwrap_or_else(|| {
            Error::Invalid(format!("no path to a trusted root: the issuer {} is not trusted", leaf.issuer.display()))
        }))
    }

    fn extend(
        &self,
        path: &mut Vec<Certificate>,
        extra: &[Certificate],
        at: Timestamp,
        last: &mut Option<Error>,
    ) -> bool {
        let Some(child) = path.last().cloned() else { return false };
        if path.len() > 8 {
            return false;
        }
        // A trusted root that issued it ends the path.
        for root in &self.roots {
            if root.subject.der == child.issuer.der && key_ids_agree(&child, root) {
                match check_issuer(&child, root, at, path.len() - 1) {
                    Ok(()) => {
                        if root.der != child.der {
                            path.push(root.clone());
                        }
                        return true;
                    }
                    Err(e) => *last = Some(e),
                }
            }
        }
        if child.issuer.der == child.subject.der {
            return false;
        }
        for ca in extra.iter().chain(self.intermediates.iter()) {
            if ca.subject.der != child.issuer.der || !key_ids_agree(&child, ca) || path.iter().any(|p| p.der == ca.der)
            {
                continue;
            }
            match check_issuer(&child, ca, at, path.len() - 1) {
                Ok(()) => {
                    path.push(ca.clone());
                    if self.extend(path, extra, at, last) {
                        return true;
                    }
                    path.pop();
                }
                Err(e) => *last = Some(e),
            }
        }
        false
    }

    /// The revocation status of `cert` (issued by `issuer`) at `at`: the OCSP responder's
    /// answer when one is configured and answers, else the CRLs loaded.
    pub fn revocation(&self, cert: &Certificate, issuer: &Certificate, at: Timestamp) -> Revocation {
        let mut ocsp_failure = None;
        if let Some(Ocsp(responder)) = &self.ocsp {
            let answer = ocsp::request(cert, issuer).and_then(|(req, nonce)| {
                let resp = responder.respond(&req)?;
                ocsp::check_response(&resp, cert, issuer, Some(&nonce), at)
            });
            match answer {
                Ok(OcspStatus::Good { this_update }) => return Revocation::OcspGood { this_update },
                Ok(OcspStatus::Revoked { time, reason }) => {
                    return if time <= at {
                        Revocation::Revoked { date: time, reason }
                    } else {
                        Revocation::RevokedLater { date: time }
                    };
                }
                Ok(OcspStatus::Unknown) => {
                    ocsp_failure = Some("the OCSP responder does not know the certificate".to_owned())
                }
                Err(e) => ocsp_failure = Some(format!("OCSP: {e}")),
            }
        }
        let by_crl = self.revocation_by_crl(cert, issuer, at);
        match (by_crl, ocsp_failure) {
            (Revocation::Unknown, Some(why)) => Revocation::Unchecked(why),
            (status, _) => status,
        }
    }

    fn revocation_by_crl(&self, cert: &Certificate, issuer: &Certificate, at: Timestamp) -> Revocation {
        let crls: Vec<&Crl> = self.crls.iter().filter(|c| c.issuer.der == issuer.subject.der).collect();
        if crls.is_empty() {
            return Revocation::Unknown;
        }
        if let Some(entry) = crls.iter().filter_map(|c| c.find(&cert.serial)).min_by_key(|r| r.date) {
            // removeFromCRL (8) in a delta is not a revocation.
            if entry.reason != Some(8) {
                return if entry.date <= at {
                    Revocation::Revoked { date: entry.date, reason: entry.reason }
                } else {
                    Revocation::RevokedLater { date: entry.date }
                };
            }
        }
        let newest = crls.iter().max_by_key(|c| c.this_update).expect("not empty");
        let stale = newest.next_update.is_some_and(|n| n < at);
        Revocation::Good { crl_this_update: newest.this_update, stale }
    }
}

fn check_dates(cert: &Certificate, at: Timestamp) -> Result<(), Error> {
    if at < cert.not_before {
        return Err(Error::Invalid(format!(
            "the certificate of {} was not yet valid at {at} (valid from {})",
            cert.subject.common_name(),
            cert.not_before
        )));
    }
    if at > cert.not_after {
        return Err(Error::Invalid(format!(
            "the certificate of {} had expired at {at} (valid until {})",
            cert.subject.common_name(),
            cert.not_after
        )));
    }
    Ok(())
}

/// When both name key identifiers, they must agree; that picks the right key after a CA's
/// key changes under the same name.
fn key_ids_agree(child: &Certificate, ca: &Certificate) -> bool {
    match (&child.authority_key_id, &ca.subject_key_id) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    }
}

/// `ca` may have issued `child` at `at`: valid then, a CA, allowed to sign certificates,
/// deep enough, and its signature verifies. `below` is how many CAs sit under it.
fn check_issuer(child: &Certificate, ca: &Certificate, at: Timestamp, below: usize) -> Result<(), Error> {
    check_dates(ca, at)?;
    if !ca.unknown_critical.is_empty() {
        return Err(Error::Invalid(format!("unknown critical extension in {}", ca.subject.common_name())));
    }
    match ca.basic_constraints {
        Some((true, path_len)) => {
            if let Some(max) = path_len
                && below > 0
                && (below - 1) as u64 > max
            {
                return Err(Error::Invalid(format!(
                    "{} may not have CAs this deep under it",
                    ca.subject.common_name()
                )));
            }
        }
        _ => return Err(Error::Invalid(format!("{} is not a certification authority", ca.subject.common_name()))),
    }
    if let Some(ku) = ca.key_usage
        && ku & key_usage::KEY_CERT_SIGN == 0
    {
        return Err(Error::Invalid(format!("{} may not sign certificates", ca.subject.common_name())));
    }
    child.verify_signed_by(ca).map_err(|e| match e {
        Error::Invalid(m) => Error::Invalid(format!(
            "the signature of {} on {} does not verify: {m}",
            ca.subject.common_name(),
            child.subject.common_name()
        )),
        other => other,
    })
}
