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

/// 200 rows of the widest table (18 columns) bind 3,600 values, far under SQLite's 32,766
/// and PostgreSQL's 65,535.
const CHUNK: usize = 200;

/// The values of one statement of a [`Script`], bound when it is sent.
type Binder<'a> = Box<dyn for<'q> FnOnce(AnyQuery<'q>) -> Result<AnyQuery<'q>, StoreError> + Send + 'a>;

/// Statements gathered to be sent together: to SQLite as one multi-statement query, one round
/// trip to the driver's thread where each statement cost one (25-45 µs each, a dozen per
/// batch: a tenth of the writer's time, issue 34); to PostgreSQL one by one, as its extended
/// protocol takes one statement with parameters. Placeholders are anonymous on SQLite (the
/// driver binds them in order across the statements), numbered on PostgreSQL.
pub(crate) struct Script<'a> {
    sqlite: bool,
    parts: Vec<(String, Binder<'a>)>,
}

impl<'a> Script<'a> {
    pub(crate) fn new(conn: &AnyConnection) -> Script<'a> {
        Script { sqlite: conn.backend_name() == "SQLite", parts: Vec::new() }
    }

    pub(crate) fn sqlite(&self) -> bool {
        self.sqlite
    }

    /// A statement written with numbered placeholders in order (`$1`, `$2`, …, each once),
    /// and what binds its values.
    pub(crate) fn statement(
        &mut self,
        sql: &str,
        bind: impl for<'q> FnOnce(AnyQuery<'q>) -> Result<AnyQuery<'q>, StoreError> + Send + 'a,
    ) {
        let sql = if self.sqlite { anonymous(sql) } else { sql.to_owned() };
        self.parts.push((sql, Box::new(bind)));
    }

    /// Inserts `rows` into `table`, [`CHUNK`] rows per statement, each row's values bound by
    /// `bind` in the order of `cols`, when the script is sent.
    pub(crate) fn rows<T: Send + Sync + 'a>(
        &mut self,
        table: &str,
        cols: &[&str],
        tail: &str,
        rows: Vec<T>,
        bind: impl for<'q> Fn(AnyQuery<'q>, &T) -> Result<AnyQuery<'q>, StoreError> + Send + Sync + 'a,
    ) {
        let bind = std::sync::Arc::new(bind);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<T> = rows.by_ref().take(CHUNK).collect();
            let sql = multi_insert(table, cols, chunk.len(), tail, !self.sqlite).0;
            let bind = std::sync::Arc::clone(&bind);
            self.parts.push((
                sql,
                Box::new(move |mut q| {
                    for row in &chunk {
                        q = bind(q, row)?;
                    }
                    Ok(q)
                }),
            ));
        }
    }

    /// Sends the statements gathered, in order.
    pub(crate) async fn run(self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        if self.parts.is_empty() {
            return Ok(());
        }
        if self.sqlite {
            let sql = self.parts.iter().map(|(sql, _)| sql.as_str()).collect::<Vec<_>>().join(";\n");
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (_, bind) in self.parts {
                q = bind(q)?;
            }
            return execute(q, conn).await;
        }
        for (sql, bind) in self.parts {
            execute(bind(sqlx::query(AssertSqlSafe(sql)))?, conn).await?;
        }
        Ok(())
    }
}

/// `sql` with its numbered placeholders (`$1`, `$2`, … in order) made anonymous (`?`).
fn anonymous(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs `q`; a unique violation (two nodes appending to one stream at once on PostgreSQL) is
/// a conflict the batch's commands are answered with.
async fn execute(q: AnyQuery<'_>, conn: &mut AnyConnection) -> Result<(), StoreError> {
    match q.execute(&mut *conn).await {
        Ok(_) => Ok(()),
        Err(e) if crate::db::is_unique_violation(&e) => {
            Err(StoreError::Conflict { stream: "(batch)".into(), expected: 0, actual: 0 })
        }
        Err(e) => Err(e.into()),
    }
}

/// The columns of the reports' cells, and how a count is added to one.
const CELL_COLS: [&str; 9] =
    ["grain", "period", "akimat", "service", "measure", "label", "working_days", "late", "count"];
const CELL_TAIL: &str = "ON CONFLICT (grain, period, akimat, service, measure, label, working_days, late) \
                         DO UPDATE SET count = report_cells.count + excluded.count";

fn bind_cell<'q>(q: AnyQuery<'q>, (k, n): &(crate::reports::CellKey, i64)) -> Result<AnyQuery<'q>, StoreError> {
    Ok(q.bind(k.grain)
        .bind(k.period.clone())
        .bind(k.akimat.clone())
        .bind(k.service.clone())
        .bind(k.measure)
        .bind(k.label.clone())
        .bind(k.working_days)
        .bind(k.late)
        .bind(*n))
}

/// Adds counts to the reports' cells when `script` is sent.
pub(crate) fn script_cells(script: &mut Script<'_>, cells: Vec<(crate::reports::CellKey, i64)>) {
    script.rows("report_cells", &CELL_COLS, CELL_TAIL, cells, bind_cell);
}

/// Adds counts to the reports' cells now.
pub(crate) async fn add_cells(
    conn: &mut AnyConnection,
    cells: &[(crate::reports::CellKey, i64)],
) -> Result<(), StoreError> {
    let mut script = Script::new(conn);
    script_cells(&mut script, cells.to_vec());
    script.run(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Executor as _;

    #[test]
    fn numbered_placeholders_become_anonymous_in_order() {
        assert_eq!(
            anonymous("UPDATE jobs SET state = $1, error = $2 WHERE id = $3 AND note <> '$'"),
            "UPDATE jobs SET state = ?, error = ? WHERE id = ? AND note <> '$'"
        );
    }

    #[tokio::test]
    async fn a_script_binds_each_statement_its_own_values_on_sqlite() {
        let dir = tempfile::tempdir().expect("tmp");
        let url = crate::db::sqlite_url(&dir.path().join("s.db"));
        let mut conn = crate::db::connection(&url, crate::db::Backend::Sqlite).await.expect("connected");
        conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)").await.expect("table");
        let mut script = Script::new(&conn);
        script.rows("t", &["k", "v"], "", vec![(1_i64, "one"), (2, "two")], |q, (k, v)| Ok(q.bind(*k).bind(*v)));
        script.statement("UPDATE t SET v = $1 WHERE k = $2", |q| Ok(q.bind("deux").bind(2_i64)));
        script.rows("t", &["k", "v"], "", vec![(3_i64, "three")], |q, (k, v)| Ok(q.bind(*k).bind(*v)));
        script.run(&mut conn).await.expect("sent");
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT k, v FROM t ORDER BY k").fetch_all(&mut conn).await.expect("rows");
        assert_eq!(rows, vec![(1, "one".into()), (2, "deux".into()), (3, "three".into())]);
        // A statement that fails fails the script, as a unique key already taken.
        let mut again = Script::new(&conn);
        again.rows("t", &["k", "v"], "", vec![(3_i64, "again")], |q, (k, v)| Ok(q.bind(*k).bind(*v)));
        assert!(matches!(again.run(&mut conn).await, Err(StoreError::Conflict { .. })));
    }
}
