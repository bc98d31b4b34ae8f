-- Identity by EDS (App.2 item 10.2). Keep in step with the other dialect's file.

-- When the account's IIN was proven by a signature whose certificate names it (registration
-- or login by EDS, or a staff member binding their EDS). An IIN never proven (accounts
-- registered by a typed IIN before this migration) opens nothing.
ALTER TABLE users ADD COLUMN iin_proven_ms BIGINT;
CREATE INDEX users_iin ON users (iin);

-- One-time challenges a person signs to prove their IIN: taken once, before they expire.
CREATE TABLE challenges (
    id          TEXT   PRIMARY KEY,
    purpose     TEXT   NOT NULL,
    content     TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL,
    used_ms     BIGINT
);
CREATE INDEX challenges_expiry ON challenges (expires_ms);
