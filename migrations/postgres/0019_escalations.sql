-- Escalation before a breach: the day a running stage next needs someone told (most of its
-- working days used, then the breach), indexed so the sweep reads only the cases due for it;
-- and the alerts given, one per stage and mark, as facts with their derivation.
ALTER TABLE cases ADD COLUMN escalate_on TEXT;
CREATE INDEX cases_escalate ON cases (escalate_on);
CREATE TABLE escalations (
    case_number  TEXT   NOT NULL,
    akimat       TEXT   NOT NULL,
    due_on       TEXT   NOT NULL,
    level        TEXT   NOT NULL,
    on_day       TEXT   NOT NULL,
    from_day     TEXT   NOT NULL,
    allowance    BIGINT NOT NULL,
    citation     TEXT   NOT NULL,
    at_ms        BIGINT NOT NULL,
    PRIMARY KEY (case_number, due_on, level)
);
CREATE INDEX escalations_akimat ON escalations (akimat, at_ms);
