-- The outbox of notices to people: one row per event and person it concerns (the applicant
-- and their representative, a certificate's holder, a complainant), written in the same
-- transaction as the event, so none is lost and none is made twice. The cabinet's inbox
-- reads it; delivery by mail works from it.
CREATE TABLE notifications (
    global_seq     BIGINT NOT NULL,
    recipient_iin  TEXT   NOT NULL,
    stream         TEXT   NOT NULL,
    kind           TEXT   NOT NULL,
    at_ms          BIGINT NOT NULL,
    read_ms        BIGINT,
    PRIMARY KEY (global_seq, recipient_iin)
);
CREATE INDEX notifications_recipient ON notifications (recipient_iin, global_seq);
