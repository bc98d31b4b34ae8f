-- Documents the service made and signed (certificates, minutes, refusals, applications), kept
-- so each is typeset and signed once and the same bytes are served ever after. A document is
-- named by its subject and the fingerprint of what it shows: a change (an extension, a new
-- signer) gives a new fingerprint and a new document. The PDF itself is a row in `blobs`.
CREATE TABLE signed_documents (
    subject       TEXT    NOT NULL,
    fingerprint   TEXT    NOT NULL,
    signer_index  INTEGER NOT NULL,
    pdf_sha256    TEXT    NOT NULL,
    signature     TEXT    NOT NULL,
    signer        TEXT    NOT NULL,
    created_ms    BIGINT  NOT NULL,
    PRIMARY KEY (subject, fingerprint, signer_index)
);
CREATE INDEX signed_documents_pdf ON signed_documents (pdf_sha256);
