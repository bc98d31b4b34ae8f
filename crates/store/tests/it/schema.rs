//! The two migration folders describe the same schema.

use std::collections::BTreeSet;

fn shape(sql: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for stmt in sql.split(';') {
        let words: Vec<String> = stmt
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ")
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["create", "table", name, ..] => {
                let table = name.trim_matches('(').to_owned();
                out.insert(format!("table {table}"));
                let body = words.join(" ");
                let cols = body.split_once('(').map(|(_, r)| r).unwrap_or("");
                for part in cols.split(',') {
                    let first = part.split_whitespace().next().unwrap_or("");
                    if !first.is_empty() && !["unique", "primary", "check", ")"].contains(&first) {
                        out.insert(format!("column {table}.{first}"));
                    }
                }
            }
            ["drop", "table", name, ..] => {
                out.insert(format!("drop table {name}"));
            }
            ["create", "index", name, "on", rest @ ..] => {
                out.insert(format!("index {name} on {}", rest.join(" ")));
            }
            ["create", "unique", "index", name, "on", rest @ ..] => {
                out.insert(format!("unique index {name} on {}", rest.join(" ")));
            }
            ["alter", "table", table, "add", "column", column, ..] => {
                out.insert(format!("column {table}.{column}"));
            }
            _ => {}
        }
    }
    out
}

/// Migrations that change how SQLite stores tables (rebuilt WITHOUT ROWID, same columns and
/// indexes), with nothing to do on PostgreSQL.
const STORAGE_ONLY: &[i64] = &[28];

#[test]
fn migrations_for_both_backends_match() {
    let mut parsed = 0;
    for m in store::db::MIGRATIONS {
        let (a, b) = (shape(m.sqlite), shape(m.postgres));
        assert!(!a.is_empty(), "parsed migration {}", m.version);
        if STORAGE_ONLY.contains(&m.version) {
            assert!(b.is_empty(), "migration {} is SQLite's storage alone", m.version);
            continue;
        }
        parsed += a.len();
        assert_eq!(a, b, "migration {} differs between SQLite and PostgreSQL", m.version);
    }
    assert!(parsed > 30, "parsed the schema: {parsed} items");
    let dir = |d: &str| {
        let mut v: Vec<String> =
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(d))
                .expect("folder")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
        v.sort();
        v
    };
    assert_eq!(dir("sqlite"), dir("postgres"), "the same migration files in both folders");
    assert_eq!(dir("sqlite").len(), store::db::MIGRATIONS.len(), "every file is embedded");
}
