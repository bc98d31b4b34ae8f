-- Who read a person's records (issue 36). Keep in step with the other dialect's file.

-- One row per read of a person's case, certificate or complaint by the state's staff: who
-- (their role, akimat and account), what (the record and the page or endpoint), when, and why
-- (the route's purpose). Written in the writer's batches; kept in backups; older rows are
-- removed after the retention the operator sets (QUALCERT_ACCESS_LOG_DAYS).
CREATE TABLE access_log (
    subject_iin    TEXT   NOT NULL,
    at_ms          BIGINT NOT NULL,
    reader_id      TEXT   NOT NULL,
    reader_role    TEXT   NOT NULL,
    reader_akimat  TEXT,
    record         TEXT   NOT NULL,
    route          TEXT   NOT NULL,
    purpose        TEXT   NOT NULL
);
CREATE INDEX access_log_subject ON access_log (subject_iin, at_ms);
CREATE INDEX access_log_at ON access_log (at_ms);
