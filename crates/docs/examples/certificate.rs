//! Writes a sample certificate PDF in Kazakh and Russian to the current directory, to look at.

use docs::pdf::{CertificateDoc, Lang};

fn main() -> Result<(), docs::SignError> {
    let doc = CertificateDoc {
        akimat: "Алматы қаласының әкімдігі".to_owned(),
        number: "ALA-2026-00001-T".to_owned(),
        issued_on: jiff::civil::date(2026, 2, 5),
        holder: "Петрова Анна Сергеевна".to_owned(),
        profession: "2144-1 Инженер-механик".to_owned(),
        basis: "Комиссия хаттамасы № 12, 05.02.2026".to_owned(),
        valid_from: jiff::civil::date(2026, 2, 5),
        valid_to: jiff::civil::date(2029, 2, 4),
        signer: "Серікбаев Ерлан".to_owned(),
        duplicate: false,
        verify_url: "http://127.0.0.1:8080/verify/ALA-2026-00001-T?t=Zk3q9VwX".to_owned(),
    };
    for (lang, name) in [(Lang::Kk, "certificate-kk.pdf"), (Lang::Ru, "certificate-ru.pdf")] {
        std::fs::write(name, doc.render(lang)?).map_err(|e| docs::SignError::Io(e.to_string()))?;
    }
    Ok(())
}
