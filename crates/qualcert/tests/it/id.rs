use crate::{data_dir, qualcert, stdout};

/// R3.3: IIN and BIN with their check digits, through `qualcert id check`.
#[test]
fn r3_3_id_check_exit_codes_and_reasons() {
    let dir = data_dir();
    let ok = qualcert(dir.path(), &["id", "check", "850101300124"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(stdout(&ok).starts_with("IIN 850101300124"));
    assert!(stdout(&ok).contains("1985-01-01"));
    let bin = qualcert(dir.path(), &["id", "check", "170440000126"]);
    assert_eq!(bin.status.code(), Some(0));
    assert!(stdout(&bin).starts_with("BIN 170440000126"));
    assert!(stdout(&bin).contains("resident legal entity"));
    let bad = qualcert(dir.path(), &["id", "check", "821214240092"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("check digit"));
    let short = qualcert(dir.path(), &["id", "check", "8501013001"]);
    assert_eq!(short.status.code(), Some(1));
    assert!(stdout(&short).contains("12 digits"));
}
