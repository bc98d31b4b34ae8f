-- Signing with eGov mobile (issue 31). Keep in step with the other dialect's file.

-- A request for one signature by the phone app: the exact bytes to sign, whose browser asked
-- (the session, or the anonymous form token before login), whose IIN must sign when it is
-- known, the app's bearer token (as capable as the request's own id, which the QR code carries), and the signature once the app sent
-- it. Like the challenges, not kept in backups: a restored service asks for a new request.
CREATE TABLE mobile_signings (
    id          TEXT   PRIMARY KEY,
    token       TEXT   NOT NULL,
    owner       TEXT   NOT NULL,
    iin         TEXT,
    content     TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL,
    signature   TEXT,
    signed_ms   BIGINT
);
CREATE INDEX mobile_signings_expiry ON mobile_signings (expires_ms);
