-- Applicants' electronic signatures over the canonical bytes of their applications (App.1):
-- the exact bytes signed are kept with the signature, so it can be checked again later.
CREATE TABLE application_signatures (
    case_number  TEXT   NOT NULL,
    sha256       TEXT   NOT NULL,
    content      TEXT   NOT NULL,
    signature    TEXT   NOT NULL,
    signer       TEXT   NOT NULL,
    created_ms   BIGINT NOT NULL,
    PRIMARY KEY (case_number, sha256)
);
