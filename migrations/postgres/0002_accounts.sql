-- Accounts and sessions of the web service. Keep in step with the other dialect's file.

-- People who log in: applicants (by IIN), officers, Commission members, reviewers, administrators.
CREATE TABLE users (
    id             TEXT   PRIMARY KEY,
    login          TEXT   NOT NULL UNIQUE,
    password_hash  TEXT   NOT NULL,
    role           TEXT   NOT NULL,
    akimat         TEXT,
    iin            TEXT,
    name           TEXT   NOT NULL,
    created_ms     BIGINT NOT NULL
);
CREATE INDEX users_akimat ON users (akimat, role);

-- Sessions in the database, so any app node can serve any request.
CREATE TABLE sessions (
    id          TEXT   PRIMARY KEY,
    user_id     TEXT   NOT NULL,
    csrf        TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
