use crate::{data_dir, qualcert, stderr, stdout};

/// `demo`, `audit verify`, `backup` and `restore` as a newcomer runs them.
#[test]
fn demo_backup_restore_audit() {
    let dir = data_dir();
    let o = qualcert(dir.path(), &["demo", "--cases", "30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("demo: 30 applications"), "{}", stdout(&o));
    let o = qualcert(dir.path(), &["audit", "verify"]);
    assert!(o.status.success() && stdout(&o).contains("intact"), "{}", stdout(&o));
    let backup = dir.path().join("backup");
    let o = qualcert(dir.path(), &["backup", backup.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let other = data_dir();
    let o = qualcert(other.path(), &["restore", backup.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = qualcert(other.path(), &["audit", "verify"]);
    assert!(o.status.success() && stdout(&o).contains("intact"), "{}", stdout(&o));
    let again = qualcert(other.path(), &["restore", backup.to_str().expect("utf-8")]);
    assert!(!again.status.success(), "never over existing data");
    assert_eq!(stderr(&again).lines().count(), 1, "{}", stderr(&again));

    // A changed row: audit verify names it and exits 1.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let url = store::db::sqlite_url(&other.path().join("qualcert.db"));
        let mut c = sqlx::AnyConnection::connect(&url).await.expect("connect");
        c.execute("UPDATE events SET actor = 'mallory' WHERE global_seq = 10").await.expect("tamper");
    });
    let o = qualcert(other.path(), &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("BROKEN at event 10"), "{}", stdout(&o));
}
