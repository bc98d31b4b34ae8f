-- qualcert schema, SQLite dialect. Keep in step with migrations/postgres/0001_init.sql:
-- same tables, columns and indexes (a test compares them).

-- The event log: every event of every stream, in one hash chain (global_seq order).
CREATE TABLE events (
    global_seq  INTEGER PRIMARY KEY,
    stream      TEXT    NOT NULL,
    stream_seq  BIGINT  NOT NULL,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    at_ms       BIGINT  NOT NULL,
    citation    TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    UNIQUE (stream, stream_seq)
);

-- The head of the chain: the last sequence number and hash.
CREATE TABLE chain (
    id    BIGINT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT   NOT NULL
);
INSERT INTO chain (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Number sequences per akimat, kind and year.
CREATE TABLE counters (
    name   TEXT   PRIMARY KEY,
    value  BIGINT NOT NULL
);

-- Results of commands by idempotency key, so a retry answers as the first try did.
CREATE TABLE idempotency (
    key           TEXT   PRIMARY KEY,
    request_hash  TEXT   NOT NULL,
    response      TEXT   NOT NULL,
    created_ms    BIGINT NOT NULL
);

-- Read model: cases with their current due date (the officer's queue, the Commission's agenda).
CREATE TABLE cases (
    number         TEXT   PRIMARY KEY,
    akimat         TEXT   NOT NULL,
    service        TEXT   NOT NULL,
    state          TEXT   NOT NULL,
    applicant_iin  TEXT   NOT NULL,
    document_no    TEXT   NOT NULL,
    version        BIGINT NOT NULL,
    received_on    TEXT   NOT NULL,
    due_on         TEXT,
    late           BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL,
    snapshot       TEXT   NOT NULL
);
CREATE INDEX cases_queue ON cases (akimat, due_on);
CREATE INDEX cases_state ON cases (akimat, state, due_on);
CREATE INDEX cases_applicant ON cases (applicant_iin);

-- Read model: the certificate registry.
CREATE TABLE certificates (
    number         TEXT   PRIMARY KEY,
    akimat         TEXT   NOT NULL,
    holder_iin     TEXT   NOT NULL,
    valid_from     TEXT   NOT NULL,
    valid_to       TEXT   NOT NULL,
    revoked_on     TEXT,
    superseded_by  TEXT,
    version        BIGINT NOT NULL,
    snapshot       TEXT   NOT NULL
);
CREATE INDEX certificates_holder ON certificates (holder_iin);
CREATE INDEX certificates_akimat ON certificates (akimat, valid_to);

-- Read model: complaints with their due date.
CREATE TABLE complaints (
    number    TEXT   PRIMARY KEY,
    akimat    TEXT   NOT NULL,
    route     TEXT   NOT NULL,
    state     TEXT   NOT NULL,
    due_on    TEXT,
    version   BIGINT NOT NULL,
    snapshot  TEXT   NOT NULL
);
CREATE INDEX complaints_queue ON complaints (akimat, due_on);

-- Report table: outcomes per akimat, service and day.
CREATE TABLE report_outcomes (
    akimat   TEXT   NOT NULL,
    service  TEXT   NOT NULL,
    outcome  TEXT   NOT NULL,
    day      TEXT   NOT NULL,
    count    BIGINT NOT NULL,
    PRIMARY KEY (akimat, service, outcome, day)
);

-- Documents known to the store (their bytes live in the blob directory).
CREATE TABLE blobs (
    sha256      TEXT   PRIMARY KEY,
    size        BIGINT NOT NULL,
    media_type  TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL
);
