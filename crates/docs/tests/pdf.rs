//! Certificates typeset as PDFs: `pdftotext` finds the holder, the number and every Kazakh
//! letter; the QR code decodes (`zbarimg`) to the verification page; a holder's name that looks
//! like typst markup is printed as text; the PDF's signature verifies with OpenSSL.

use std::path::Path;
use std::process::Command;

use docs::pdf::{CertificateDoc, Lang};
use docs::{Identity, KeyKind, OpensslVerifier, Verifier};

fn sample() -> CertificateDoc {
    CertificateDoc {
        akimat: "Алматы қаласының әкімдігі".to_owned(),
        number: "ALA-2026-00001-T".to_owned(),
        issued_on: jiff::civil::date(2026, 2, 5),
        holder: "Әбдіғали Қуаныш Ңөұүһі".to_owned(),
        profession: "2144-1 Инженер-механик".to_owned(),
        basis: "Комиссия хаттамасы № 12, 05.02.2026".to_owned(),
        valid_from: jiff::civil::date(2026, 2, 5),
        valid_to: jiff::civil::date(2029, 2, 4),
        signer: "Серікбаев Ерлан".to_owned(),
        signed_with: docs::SignedWith::System,
        duplicate: false,
        verify_url: "https://qualcert.example.kz/verify/ALA-2026-00001-T?t=Zk3q9VwX".to_owned(),
    }
}

/// Runs a tool; `None` when it is missing outside CI (in CI every tool must be there).
fn tool(name: &str, args: &[&str], dir: &Path) -> Option<String> {
    match Command::new(name).args(args).current_dir(dir).output() {
        Ok(o) => {
            assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(_) => {
            assert!(std::env::var_os("QUALCERT_REQUIRE_TOOLS").is_none(), "CI must install {name}");
            eprintln!("{name} not found; skipping that check");
            None
        }
    }
}

/// R11.1: the certificate shows the App.3 fields, in Kazakh and in Russian.
#[test]
fn r11_1_certificate_pdf_in_kazakh_and_russian() {
    let dir = tempfile::tempdir().expect("tmp");
    let doc = sample();
    for (lang, title) in [(Lang::Kk, "орналасу үшін біліктілік сәйкестігі"), (Lang::Ru, "Справка о соответствии")]
    {
        let pdf = doc.render(lang).expect("render");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        std::fs::write(dir.path().join("c.pdf"), &pdf).expect("write");
        let Some(text) = tool("pdftotext", &["-layout", "c.pdf", "-"], dir.path()) else { continue };
        for want in [title, "ALA-2026-00001-T", "Әбдіғали Қуаныш Ңөұүһі", "05.02.2026", "04.02.2029"]
        {
            assert!(text.contains(want), "{lang:?}: {want:?} not in:\n{text}");
        }
        if lang == Lang::Kk {
            for letter in "әғқңөұүһіӘҒҚҢӨҰҮҺІ".chars() {
                let probe = CertificateDoc { holder: format!("Тест {letter}"), ..sample() };
                std::fs::write(dir.path().join("k.pdf"), probe.render(lang).expect("render")).expect("write");
                let t = tool("pdftotext", &["k.pdf", "-"], dir.path()).unwrap_or_default();
                assert!(t.contains(&format!("Тест {letter}")), "{letter} lost:\n{t}");
            }
        }
        if let Some(code) =
            tool("sh", &["-c", "pdftoppm -r 150 -png -singlefile c.pdf page && zbarimg -q --raw page.png"], dir.path())
        {
            assert_eq!(code.trim(), doc.verify_url, "the QR code opens the verification page");
        }
    }
}

#[test]
fn user_data_is_text_never_markup() {
    let dir = tempfile::tempdir().expect("tmp");
    let doc = CertificateDoc { holder: "#panic(\"x\") *bold* $x^2$ ]) [".to_owned(), duplicate: true, ..sample() };
    let pdf = doc.render(Lang::Ru).expect("markup in data must not be evaluated");
    std::fs::write(dir.path().join("m.pdf"), pdf).expect("write");
    if let Some(text) = tool("pdftotext", &["m.pdf", "-"], dir.path()) {
        assert!(text.contains("#panic(\"x\") *bold* $x^2$ ]) ["), "{text}");
        assert!(text.contains("ДУБЛИКАТ"), "a duplicate is marked (R11.2)");
    }
}

#[test]
fn a_signed_certificate_verifies_and_one_changed_byte_fails() {
    let ca = Identity::new_ca("test root", 365).expect("ca");
    let signer = ca.issue("akimat", KeyKind::Rsa2048, 30).expect("issue");
    let pdf = sample().render(Lang::Kk).expect("render");
    let sig = signer.sign(&pdf).expect("sign");
    let verifier = OpensslVerifier::new(std::slice::from_ref(&ca.cert)).expect("verifier");
    verifier.verify(&sig, &pdf).expect("genuine");
    let mut changed = pdf.clone();
    let at = changed.len() / 2;
    changed[at] ^= 0x20;
    let err = verifier.verify(&sig, &changed).expect_err("one changed byte fails");
    assert!(err.to_string().contains("does not verify"), "{err}");
}

/// The application, minutes and refusal share one layout; what a person typed is text there
/// too, however much it looks like typst markup.
#[test]
fn records_typeset_values_as_text() {
    use docs::forms::{Record, Section, Table};
    let dir = tempfile::tempdir().expect("tmp");
    let typed = "#panic(\"x\") *жирный* $x^2$ <label> @ref // comment ӘҒҚ";
    let record = Record {
        lang: "kk",
        form_note: Some("Қағидаларға 1-қосымша. Нысан".to_owned()),
        akimat: "Астана қаласының әкімдігі".to_owned(),
        addressee: Some(typed.to_owned()),
        title: "Өтініш".to_owned(),
        subtitle: "№ AST-2026-000001-S".to_owned(),
        sections: vec![Section {
            heading: Some(typed.to_owned()),
            rows: vec![(typed.to_owned(), typed.to_owned())],
            paragraphs: vec![typed.to_owned()],
            table: Some(Table {
                widths: vec![1, 1],
                head: vec!["A".to_owned(), typed.to_owned()],
                rows: vec![vec![typed.to_owned(), "1".to_owned()]],
                foot: vec!["Σ".to_owned(), typed.to_owned()],
            }),
        }],
        signatures: vec![("Өтініш берушінің қолы".to_owned(), typed.to_owned())],
        signature_note: "(ЭЦҚ)".to_owned(),
        footer: Some(typed.to_owned()),
    };
    let pdf = record.render("test-record", jiff::civil::date(2026, 3, 2)).expect("render");
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(pdf, record.render("test-record", jiff::civil::date(2026, 3, 2)).expect("render"), "deterministic");
    std::fs::write(dir.path().join("r.pdf"), &pdf).expect("write");
    if let Some(text) = tool("pdftotext", &["r.pdf", "-"], dir.path()) {
        assert!(text.matches("#panic(\"x\") *жирный* $x^2$").count() >= 5, "{text}");
    }
}

/// A foreign applicant's name may be in any script. Each renders in the certificate and in the
/// application record, stays PDF/A (no glyph is missing), and reads back as the same text.
#[test]
fn a_name_in_any_script_renders_in_every_document() {
    use docs::forms::{Record, Section};
    let dir = tempfile::tempdir().expect("tmp");
    let names = [
        ("Chinese", "王伟"),
        ("Arabic", "محمد علي"),
        ("Devanagari", "राहुल शर्मा"),
        ("Georgian", "გიორგი ბერიძე"),
        ("Armenian", "Արամ Պետրոսյան"),
        ("Korean", "김민준"),
        ("Japanese", "さくら 山田"),
    ];
    for (script, name) in names {
        let certificate = CertificateDoc { holder: name.to_owned(), ..sample() }.render(Lang::Kk);
        let record = Record {
            lang: "ru",
            form_note: None,
            akimat: "Астана".to_owned(),
            addressee: None,
            title: "Заявление".to_owned(),
            subtitle: name.to_owned(),
            sections: vec![Section { rows: vec![("ФИО".to_owned(), name.to_owned())], ..Section::default() }],
            signatures: vec![("Заявитель".to_owned(), name.to_owned())],
            signature_note: String::new(),
            footer: None,
        }
        .render("AST-1", jiff::civil::date(2026, 2, 5));
        for (what, pdf) in [("certificate", certificate), ("record", record)] {
            let pdf = pdf.unwrap_or_else(|e| panic!("{script} {what}: {e}"));
            let pdfa = String::from_utf8_lossy(&pdf).contains("pdfaid:part");
            assert!(pdfa, "{script} {what}: every glyph found, so the document stays PDF/A");
            std::fs::write(dir.path().join("n.pdf"), &pdf).expect("write");
            if let Some(text) = tool("pdftotext", &["n.pdf", "-"], dir.path()) {
                let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                for word in name.split(' ') {
                    assert!(squeezed.contains(word), "{script} {what}: {word:?} not in:\n{text}");
                }
            }
        }
    }
}

/// A character no installed font has must not cost the person their document: it is then an
/// ordinary PDF (PDF/A forbids the missing glyph) and the rest of the name still reads.
#[test]
fn a_character_no_font_has_still_gives_the_document() {
    let dir = tempfile::tempdir().expect("tmp");
    let pdf = CertificateDoc { holder: "Айгүл \u{10FFFD}".to_owned(), ..sample() }.render(Lang::Ru).expect("rendered");
    assert!(!String::from_utf8_lossy(&pdf).contains("pdfaid:part"), "not claimed PDF/A with a missing glyph");
    std::fs::write(dir.path().join("x.pdf"), &pdf).expect("write");
    if let Some(text) = tool("pdftotext", &["x.pdf", "-"], dir.path()) {
        assert!(text.contains("Айгүл"), "{text}");
    }
}
