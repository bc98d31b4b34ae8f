-- Documents belong to their uploader, and signatures name their signer's IIN. Keep in step
-- with the other dialect's file.

-- Who uploaded which document. An application may attach only its filer's own uploads, so a
-- document's hash alone gives nothing; an upload no case references is swept after a while,
-- and the ones still waiting count against the uploader's quota.
CREATE TABLE uploads (
    owner       TEXT   NOT NULL,
    sha256      TEXT   NOT NULL,
    size        BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (owner, sha256)
);
CREATE INDEX uploads_created ON uploads (created_ms);

-- The IINs the signing certificate names (space-separated), read when it was verified: the
-- registration of an application asks whether its filer signed it.
ALTER TABLE application_signatures ADD COLUMN signer_iins TEXT NOT NULL DEFAULT '';
