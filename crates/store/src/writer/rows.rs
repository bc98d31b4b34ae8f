//! Many rows in one statement: how a batch reaches the database in a few round trips.

use sqlx::{AnyConnection, AssertSqlSafe};

use crate::StoreError;

/// A statement being bound, on whichever backend.
pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// A multi-row INSERT of `rows` rows of `cols` columns, with `tail` (an ON CONFLICT clause).
/// Only placeholders are formatted into the statement; every value is bound.
///
/// On SQLite the placeholders are anonymous (`?`), bound in order: SQLite looks a named one
/// (`$12`) up by name among those before it while it parses, and the driver asks each one's
/// name again while binding, so a statement of hundreds of `$N` costs time in the square of
/// their number, a tenth of the writer's whole time in a profile of the bench (issue 34).
pub(crate) fn multi_insert(
    table: &str,
    cols: &[&str],
    rows: usize,
    tail: &str,
    numbered: bool,
) -> AssertSqlSafe<String> {
    let n = cols.len();
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let marks: Vec<String> =
                (1..=n).map(|c| if numbered { format!("${}", r * n + c) } else { "?".to_owned() }).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    AssertSqlSafe(format!("INSERT INTO {table} ({}) VALUES {} {tail}", cols.join(", "), values.join(", ")))
}

/// Inserts `rows` into `table`, [`CHUNK`] rows per statement, each row's values bound by
/// `bind` in the order of `cols`. A unique violation (two nodes appending to one stream at
/// once on PostgreSQL) is a conflict the batch's commands are answered with.
pub(crate) async fn insert_rows<T>(
    conn: &mut AnyConnection,
    table: &str,
    cols: &[&str],
    tail: &str,
    rows: &[T],
    bind: impl for<'q> Fn(AnyQuery<'q>, &T) -> Result<AnyQuery<'q>, StoreError>,
) -> Result<(), StoreError> {
    /// 200 rows of the widest table (13 columns) bind 2,600 values, far under SQLite's
    /// 32,766 and PostgreSQL's 65,535.
    const CHUNK: usize = 200;
    let numbered = conn.backend_name() != "SQLite";
    for chunk in rows.chunks(CHUNK) {
        let mut q = sqlx::query(multi_insert(table, cols, chunk.len(), tail, numbered));
        for row in chunk {
            q = bind(q, row)?;
        }
        match q.execute(&mut *conn).await {
            Ok(_) => {}
            Err(e) if crate::db::is_unique_violation(&e) => {
                return Err(StoreError::Conflict { stream: "(batch)".into(), expected: 0, actual: 0 });
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Adds counts to the reports' cells.
pub(crate) async fn add_cells(
    conn: &mut AnyConnection,
    cells: &[(crate::reports::CellKey, i64)],
) -> Result<(), StoreError> {
    let cell_cols = ["grain", "period", "akimat", "service", "measure", "label", "working_days", "late", "count"];
    let tail = "ON CONFLICT (grain, period, akimat, service, measure, label, working_days, late) \
                DO UPDATE SET count = report_cells.count + excluded.count";
    insert_rows(conn, "report_cells", &cell_cols, tail, cells, |q, (k, n)| {
        Ok(q.bind(k.grain)
            .bind(k.period.clone())
            .bind(k.akimat.clone())
            .bind(k.service.clone())
            .bind(k.measure)
            .bind(k.label.clone())
            .bind(k.working_days)
            .bind(k.late)
            .bind(*n))
    })
    .await
}
