-- Who signs an akimat's results, and which results still await that signature. Keep in step
-- with the other dialect's file.

-- An akimat whose results its authorised person signs with their own EDS (Rules §13), and
-- since when. An akimat without a row signs with its information system's key on the server.
CREATE TABLE akimat_signing (
    akimat      TEXT   PRIMARY KEY,
    authorised  TEXT   NOT NULL,
    since_ms    BIGINT NOT NULL,
    changed_by  TEXT   NOT NULL
);

-- When every document of a case's result (the certificate, the duplicate, the refusal) was
-- found signed; NULL until then, and again whenever the writer changes the case. The
-- authorised person's list of results to sign reads the partial index.
ALTER TABLE cases ADD COLUMN result_signed_ms BIGINT;
CREATE INDEX cases_results_unsigned ON cases (akimat, updated_ms)
    WHERE result_signed_ms IS NULL AND state IN ('completed', 'refused');
