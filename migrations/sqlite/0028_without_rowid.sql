-- Tables keyed by text keep their rows in the key's own b-tree (issue 34: a store a third of
-- its size). With a rowid, SQLite keeps each row twice: once by rowid and once more in the
-- index that enforces the primary key, which for these narrow tables is nearly the whole row.
-- PostgreSQL keeps a heap and an index whatever it is told; its file is a no-op.
CREATE TABLE blobs_new (
    sha256      TEXT   PRIMARY KEY,
    size        BIGINT NOT NULL,
    media_type  TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL
) WITHOUT ROWID;
INSERT INTO blobs_new (sha256, size, media_type, created_ms) SELECT sha256, size, media_type, created_ms FROM blobs;
DROP TABLE blobs;
ALTER TABLE blobs_new RENAME TO blobs;

CREATE TABLE uploads_new (
    owner       TEXT   NOT NULL,
    sha256      TEXT   NOT NULL,
    size        BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (owner, sha256)
) WITHOUT ROWID;
INSERT INTO uploads_new (owner, sha256, size, created_ms) SELECT owner, sha256, size, created_ms FROM uploads;
DROP TABLE uploads;
ALTER TABLE uploads_new RENAME TO uploads;
CREATE INDEX uploads_created ON uploads (created_ms);

CREATE TABLE notifications_new (
    global_seq     BIGINT NOT NULL,
    recipient_iin  TEXT   NOT NULL,
    stream         TEXT   NOT NULL,
    kind           TEXT   NOT NULL,
    at_ms          BIGINT NOT NULL,
    read_ms        BIGINT,
    PRIMARY KEY (global_seq, recipient_iin)
) WITHOUT ROWID;
INSERT INTO notifications_new (global_seq, recipient_iin, stream, kind, at_ms, read_ms)
    SELECT global_seq, recipient_iin, stream, kind, at_ms, read_ms FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_recipient ON notifications (recipient_iin, global_seq);

CREATE TABLE jobs_new (
    id               TEXT   PRIMARY KEY,
    kind             TEXT   NOT NULL,
    state            TEXT   NOT NULL,
    attempts         BIGINT NOT NULL,
    run_after_ms     BIGINT NOT NULL,
    leased_until_ms  BIGINT NOT NULL,
    last_error       TEXT,
    created_ms       BIGINT NOT NULL,
    done_ms          BIGINT,
    sending_ms       BIGINT
) WITHOUT ROWID;
INSERT INTO jobs_new (id, kind, state, attempts, run_after_ms, leased_until_ms, last_error, created_ms, done_ms, sending_ms)
    SELECT id, kind, state, attempts, run_after_ms, leased_until_ms, last_error, created_ms, done_ms, sending_ms FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_due ON jobs (state, run_after_ms);
