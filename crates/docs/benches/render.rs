//! Certificates rendered (typst, PDF/A-2b, QR code) and signed (CMS, RSA-2048 and ECDSA
//! P-256) per second, one core (issue: target ≥ 50).
//!
//! Run with `cargo bench -p docs --bench render`. Best of five rounds of 40 certificates,
//! each with a different number and holder so no layout cache answers for another.

#![expect(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

use std::time::Instant;

use docs::forms::{Record, Section, Table};
use docs::pdf::{CertificateDoc, Lang};
use docs::{Identity, KeyKind};

fn doc(i: u32) -> CertificateDoc {
    CertificateDoc {
        akimat: "Алматы қаласының әкімдігі".to_owned(),
        number: format!("ALA-2026-{i:05}-T"),
        issued_on: jiff::civil::date(2026, 2, 5),
        holder: format!("Әбдіғали Қуаныш {i}"),
        profession: "2144-1 Инженер-механик".to_owned(),
        basis: format!("Комиссия хаттамасы № {i}, 05.02.2026"),
        valid_from: jiff::civil::date(2026, 2, 5),
        valid_to: jiff::civil::date(2029, 2, 4),
        signer: "Серікбаев Ерлан".to_owned(),
        signed_with: docs::SignedWith::System,
        duplicate: false,
        verify_url: format!("https://qualcert.example.kz/verify?number=ALA-2026-{i:05}-T&t=9f3a0c5e7b1d2468"),
    }
}

fn main() -> Result<(), docs::SignError> {
    const PER_ROUND: u32 = 40;
    let ca = Identity::new_ca("bench root", 365)?;
    let mut next = 0;
    for kind in [KeyKind::Rsa2048, KeyKind::EcP256] {
        let signer = ca.issue("bench signer", kind, 30)?;
        let mut best = f64::MAX;
        let mut bytes = 0;
        for _ in 0..5 {
            let t = Instant::now();
            for _ in 0..PER_ROUND {
                next += 1;
                let pdf = doc(next).render(if next % 2 == 0 { Lang::Kk } else { Lang::Ru })?;
                bytes += signer.sign(&pdf)?.len() + pdf.len();
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        let rate = f64::from(PER_ROUND) / best;
        let verdict = if rate >= 50.0 { "meets" } else { "MISSES" };
        println!(
            "render + sign ({kind:?}): {rate:.1} certificates/s, one core ({verdict} target 50; {bytes} bytes made)"
        );
    }

    // Minutes: five criteria, five members present, each signing (ECDSA P-256).
    let members: Vec<Identity> =
        (1..=5).map(|m| ca.issue(&format!("Member {m}"), KeyKind::EcP256, 30)).collect::<Result<_, _>>()?;
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..PER_ROUND {
            next += 1;
            let pdf = minutes(next).render(&format!("bench-minutes-{next}"), jiff::civil::date(2026, 2, 5))?;
            for m in &members {
                m.sign(&pdf)?;
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("minutes rendered + signed by 5 members: {:.1} per second, one core", f64::from(PER_ROUND) / best);
    Ok(())
}

fn minutes(i: u32) -> Record {
    let row = |q: &str, a: &str, p: &str| vec![q.to_owned(), a.to_owned(), p.to_owned()];
    Record {
        lang: "kk",
        form_note: None,
        akimat: "Алматы қаласының әкімдігі".to_owned(),
        addressee: None,
        title: "Комиссия отырысының хаттамасы".to_owned(),
        subtitle: format!("№ {i} · 05.02.2026"),
        sections: vec![
            Section {
                rows: vec![("Өтініш беруші".to_owned(), format!("Әбдіғали Қуаныш {i}"))], ..Section::default()
            },
            Section {
                heading: Some("Бағалау нәтижелері".to_owned()),
                table: Some(Table {
                    widths: vec![7, 4, 2],
                    head: row("Өлшем", "Жауап", "Балл"),
                    rows: (0..5).map(|c| row(&format!("Өлшем {c} (Қағидалардың 10-тармағы)"), "иә", "2 / 2")).collect(),
                    foot: row("Барлығы", "өту шегі: 6", "10 / 10"),
                }),
                ..Section::default()
            },
        ],
        signatures: (1..=5).map(|m| ("Комиссия мүшесі".to_owned(), format!("Member {m}"))).collect(),
        signature_note: "(ЭЦҚ-мен қол қойылды)".to_owned(),
        footer: None,
    }
}
