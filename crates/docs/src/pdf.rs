//! PDFs with real layout, typeset by typst as a library. A template is typst markup kept in
//! `templates/`; the values go in as a virtual `/data.json` that the template reads with
//! `json()`, so a holder's name is always text and never markup. The fonts (`fonts`: DejaVu Sans
//! for every Kazakh letter, the machine's Noto fonts for the rest) are embedded in each PDF;
//! output is PDF/A-2b.

use std::sync::LazyLock;

use qrcode::QrCode;
use qrcode::render::svg;
use serde_json::json;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};

use crate::fonts::FONTS;
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::SignError;

const CERTIFICATE: &str = include_str!("../templates/certificate.typ");

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The language of a document: the official forms exist in Kazakh and Russian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Kazakh.
    Kk,
    /// Russian.
    Ru,
}

/// What a certificate (App.3) shows, as plain values.
#[derive(Debug, Clone)]
pub struct CertificateDoc {
    /// The local executive body's name.
    pub akimat: String,
    /// The certificate number.
    pub number: String,
    /// Date of issue.
    pub issued_on: jiff::civil::Date,
    /// Surname, name and patronymic.
    pub holder: String,
    /// The in-demand profession in a priority sector, as in the approved list.
    pub profession: String,
    /// The basis for issue (the Commission's minutes).
    pub basis: String,
    /// Valid from.
    pub valid_from: jiff::civil::Date,
    /// Valid to (inclusive).
    pub valid_to: jiff::civil::Date,
    /// The authorised person who signs, or the information system whose key signs.
    pub signer: String,
    /// Which kind of signature it carries; the certificate says so under the signer.
    pub signed_with: crate::SignedWith,
    /// A duplicate (R11.2) is marked as one.
    pub duplicate: bool,
    /// The public verification page this certificate's QR code opens.
    pub verify_url: String,
}

impl Lang {
    /// The same language as the rest of the service names it.
    pub fn text(self) -> rules::Lang {
        match self {
            Lang::Kk => rules::Lang::Kk,
            Lang::Ru => rules::Lang::Ru,
        }
    }

    /// Its tag, `kk` or `ru`, as in file names and the document's language.
    pub fn tag(self) -> &'static str {
        self.text().tag()
    }

    /// The form language a file name's tag names, exactly `kk` or `ru`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The form's language for a reader's: Russian for Russian, Kazakh (the state language)
    /// otherwise, since the official forms exist in these two.
    pub fn for_reader(lang: rules::Lang) -> Lang {
        if lang == rules::Lang::Ru { Lang::Ru } else { Lang::Kk }
    }
}

impl CertificateDoc {
    /// A registry certificate as its form shows it in `lang`, signed by `signer` with
    /// `signed_with`, its QR code
    /// opening `verify_url`. Names come from the law in force (`law`).
    pub fn of(
        c: &rules::certificate::Certificate,
        law: &rules::law::Law,
        lang: Lang,
        signer: String,
        signed_with: crate::SignedWith,
        verify_url: String,
        duplicate: bool,
    ) -> CertificateDoc {
        let text = lang.text();
        CertificateDoc {
            akimat: law.akimat_heading(&c.akimat, text),
            number: c.number.to_string(),
            issued_on: c.issued_on,
            holder: c.holder.full_name(),
            profession: match law.profession_name(&c.profession, text) {
                Some(name) => format!("{} {name}", c.profession),
                None => c.profession.clone(),
            },
            basis: c.basis_in(text),
            valid_from: c.valid_from,
            valid_to: c.valid_to,
            signer,
            signed_with,
            duplicate,
            verify_url,
        }
    }
}

/// A date as the forms print it: `05.02.2026`.
pub(crate) fn date(d: jiff::civil::Date) -> String {
    rules::text::dotted_date(d)
}

impl CertificateDoc {
    fn data(&self, lang: Lang) -> serde_json::Value {
        let (from, to) = (date(self.valid_from), date(self.valid_to));
        // The form's words are in `forms.ftl` (kk, ru), as App.3 prints them.
        let say = |key: &str| rules::speech::say(lang.text(), key, &[]);
        let labels = json!({
            "form": say("certificate-form"),
            "akimat_note": say("certificate-akimat-note"),
            "title": say("certificate-title"),
            "duplicate": say("certificate-duplicate"),
            "holder_note": say("certificate-holder-note"),
            "issued_for": say("certificate-issued-for"),
            "basis": say("certificate-basis"),
            "validity": say("certificate-validity"),
            "seal": say("certificate-seal"),
            "signer_note": say("certificate-signer-note"),
            "verify": say("certificate-verify"),
            "validity_text": rules::speech::say(
                lang.text(),
                "certificate-validity-text",
                &[("from", from.clone().into()), ("to", to.clone().into())],
            ),
        });
        json!({
            "lang": lang.tag(),
            "labels": labels,
            "akimat": self.akimat,
            "number": self.number,
            "issued_on": date(self.issued_on),
            "holder": self.holder,
            "profession": self.profession,
            "basis": self.basis,
            "validity": labels["validity_text"],
            "signer": self.signer,
            "signed_with": self.signed_with.phrase(lang),
            "duplicate": self.duplicate,
            "verify_url": self.verify_url,
        })
    }

    /// What identifies this document: SHA-256 over the template and everything it shows in
    /// `lang`. Equal fingerprints typeset to the same PDF; a changed value (an extension, a
    /// new signer, a new template) gives a new one.
    pub fn fingerprint(&self, lang: Lang) -> String {
        let data = serde_json::to_vec(&self.data(lang)).unwrap_or_default();
        crate::sha256_hex(&[CERTIFICATE.as_bytes(), b"\0", &data].concat())
    }

    /// The certificate as a PDF/A-2b in `lang`, with a QR code of the verification page.
    pub fn render(&self, lang: Lang) -> Result<Vec<u8>, SignError> {
        let qr = QrCode::new(self.verify_url.as_bytes()).map_err(|e| SignError::Render(format!("QR code: {e}")))?;
        let svg = qr.render::<svg::Color<'_>>().min_dimensions(240, 240).build();
        let data = serde_json::to_vec(&self.data(lang)).map_err(|e| SignError::Render(e.to_string()))?;
        let world = Doc::new(CERTIFICATE, vec![("/data.json", data), ("/qr.svg", svg.into_bytes())]);
        let ident = format!("qualcert-certificate-{}-{:?}", self.number, lang);
        world.pdf(&ident, self.issued_on)
    }
}

/// Whether `c` is a character that shows nothing yet changes what a line seems to say: the
/// bidirectional controls (which can reorder a name or a number as printed, e.g. to make
/// "2031" read "1302") and the zero-width space, word joiner and byte-order mark. The zero-width
/// joiner and non-joiner stay: Persian and Indic names need them to be spelled right.
pub fn is_invisible_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A document's data with every invisible control taken out of its texts, so what a person
/// typed prints as what it says.
fn visible_json(bytes: Vec<u8>) -> Vec<u8> {
    fn clean(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) if s.chars().any(is_invisible_control) => {
                s.retain(|c| !is_invisible_control(c));
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(clean),
            serde_json::Value::Object(map) => map.values_mut().for_each(clean),
            _ => {}
        }
    }
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(mut v) => {
            clean(&mut v);
            serde_json::to_vec(&v).unwrap_or(bytes)
        }
        Err(_) => bytes,
    }
}

/// A typst world of one template and its data files, all in memory.
pub(crate) struct Doc {
    main: Source,
    files: Vec<(FileId, Bytes)>,
}

impl Doc {
    pub(crate) fn new(template: &str, files: Vec<(&str, Vec<u8>)>) -> Doc {
        let main = Source::new(FileId::new(None, VirtualPath::new("/main.typ")), template.to_owned());
        let files = files
            .into_iter()
            .map(|(p, b)| {
                let b = if p.ends_with(".json") { visible_json(b) } else { b };
                (FileId::new(None, VirtualPath::new(p)), Bytes::new(b))
            })
            .collect();
        Doc { main, files }
    }

    pub(crate) fn pdf(&self, ident: &str, on: jiff::civil::Date) -> Result<Vec<u8>, SignError> {
        let document: PagedDocument = typst::compile(self).output.map_err(|errors| {
            SignError::Render(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
        })?;
        // PDF/A forbids a glyph the fonts lack. Rather than refuse a decided person their
        // document, it is then an ordinary PDF with a box for each such character, and the
        // operator is told which fonts to install.
        let missing = self.uncovered();
        let standards = if missing == 0 {
            PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| SignError::Render(e.to_string()))?
        } else {
            tracing::warn!(
                characters = missing,
                "a document has characters no installed font shows; install fonts-noto-core and fonts-noto-cjk"
            );
            PdfStandards::default()
        };
        let stamp = Datetime::from_ymd(i32::from(on.year()), on.month() as u8, on.day() as u8)
            .and_then(|d| typst_pdf::Timestamp::new_local(d, 0))
            .ok_or_else(|| SignError::Render("document date".to_owned()))?;
        let options =
            PdfOptions { ident: Smart::Custom(ident), timestamp: Some(stamp), standards, ..PdfOptions::default() };
        typst_pdf::pdf(&document, &options).map_err(|errors| {
            SignError::Render(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
        })
    }
}

impl Doc {
    /// How many characters of the data files no font has a glyph for.
    fn uncovered(&self) -> usize {
        self.files
            .iter()
            .filter_map(|(_, b)| std::str::from_utf8(b).ok())
            .flat_map(str::chars)
            .filter(|&c| !FONTS.covers(c))
            .count()
    }
}

impl World for Doc {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| FileError::NotFound(id.vpath().as_rootless_path().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.get(index)
    }

    /// Time is an input: templates get their dates from the data, never from the clock.
    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod invisible_tests {
    /// Issue 30: bidirectional controls and zero-width characters never reach a PDF; the
    /// joiners Persian and Indic names need stay.
    #[test]
    fn invisible_controls_are_taken_out_of_a_documents_texts() {
        let data = serde_json::json!({"holder": "Ivan\u{202E}1302\u{202C} Petrov\u{200B}", "list": ["a\u{FEFF}b"], "n": 1,
            "persian": "می\u{200C}خواهم"});
        let out: serde_json::Value =
            serde_json::from_slice(&super::visible_json(serde_json::to_vec(&data).expect("json"))).expect("json");
        assert_eq!(out["holder"], "Ivan1302 Petrov");
        assert_eq!(out["list"][0], "ab");
        assert_eq!(out["persian"], "می\u{200C}خواهم");
        assert_eq!(out["n"], 1);
    }
}
