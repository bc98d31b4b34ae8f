-- Looking after accounts: disabling them, listing and ending sessions, and the audit log of
-- every change to an account. Keep in step with the other dialect's file.

-- When the administrator disabled the account; NULL while it may log in.
ALTER TABLE users ADD COLUMN disabled_ms BIGINT;

-- A session is a browser's (the cookie) or an API client's (the bearer token). Its handle
-- names it on the pages and in the API without giving away the token or the token's hash,
-- which is the session's key.
ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'browser';
ALTER TABLE sessions ADD COLUMN handle TEXT;
UPDATE sessions SET handle = substr(id, 1, 16);
CREATE UNIQUE INDEX sessions_handle ON sessions (handle);

-- Who did what to which account, when, and from where. Rows are only ever added.
CREATE TABLE audit (
    id       TEXT   PRIMARY KEY,
    at_ms    BIGINT NOT NULL,
    actor    TEXT,
    action   TEXT   NOT NULL,
    subject  TEXT,
    detail   TEXT   NOT NULL,
    address  TEXT
);
CREATE INDEX audit_at ON audit (at_ms);
CREATE INDEX audit_actor ON audit (actor, at_ms);
CREATE INDEX audit_subject ON audit (subject, at_ms);
