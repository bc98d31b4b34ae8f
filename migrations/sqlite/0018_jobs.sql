-- Background work is rows: claimed once by any number of workers (a lease; on PostgreSQL
-- FOR UPDATE SKIP LOCKED), retried with backoff, and visible to the administrator. The id
-- names the work, so the same work is one row however often it is asked for.
CREATE TABLE jobs (
    id               TEXT   PRIMARY KEY,
    kind             TEXT   NOT NULL,
    state            TEXT   NOT NULL,
    attempts         BIGINT NOT NULL,
    run_after_ms     BIGINT NOT NULL,
    leased_until_ms  BIGINT NOT NULL,
    last_error       TEXT,
    created_ms       BIGINT NOT NULL,
    done_ms          BIGINT
);
CREATE INDEX jobs_due ON jobs (state, run_after_ms);
-- Where a person wants their notices by mail, and in which language.
CREATE TABLE contacts (
    iin    TEXT PRIMARY KEY,
    email  TEXT,
    lang   TEXT NOT NULL
);
