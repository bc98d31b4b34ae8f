-- Identity holes closed (issue 30). Keep in step with the other dialect's file.

-- When the service received each kept signature: the instant it is judged at when checked
-- again later, never the signingTime the signer wrote (which a key that had expired or been
-- revoked could backdate). Rows signed when they were made take their creation time.
ALTER TABLE signed_documents ADD COLUMN signed_ms BIGINT;
UPDATE signed_documents SET signed_ms = created_ms WHERE signature <> '';

-- An applicant account registered with a typed IIN that no EDS ever proved (the form
-- registration before identity by EDS) may be a squatter's. Its password and every session
-- and token end here, recorded in the audit log; the person the IIN belongs to enters with
-- their EDS and gets the account with nothing of the squatter's left to use.
INSERT INTO audit (id, at_ms, actor, action, subject, detail, address)
    SELECT 'm0022-' || id, CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL, 'legacy-account-closed', id,
           'IIN never proven by EDS: password and sessions ended', NULL
    FROM users
    WHERE role = 'applicant' AND iin_proven_ms IS NULL;
DELETE FROM sessions
    WHERE user_id IN (SELECT id FROM users WHERE role = 'applicant' AND iin_proven_ms IS NULL);
UPDATE users SET password_hash = '' WHERE role = 'applicant' AND iin_proven_ms IS NULL;

-- One person, one account per role and akimat: a second account bound to the same IIN would
-- let one signature count twice toward the Commission's quorum. Where a database already
-- holds such a pair, the later binding is undone (the earliest stays) and recorded.
INSERT INTO audit (id, at_ms, actor, action, subject, detail, address)
    SELECT 'm0022-dup-' || u.id, CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL, 'eds-unbound-duplicate', u.id,
           'the same IIN was bound to an earlier account of this role and akimat', NULL
    FROM users u
    WHERE u.iin_proven_ms IS NOT NULL AND EXISTS (
        SELECT 1 FROM users v
        WHERE v.iin = u.iin AND v.role = u.role AND COALESCE(v.akimat, '') = COALESCE(u.akimat, '')
          AND v.iin_proven_ms IS NOT NULL AND v.id <> u.id
          AND (v.iin_proven_ms < u.iin_proven_ms OR (v.iin_proven_ms = u.iin_proven_ms AND v.id < u.id)));
UPDATE users SET iin_proven_ms = NULL
    WHERE id IN (SELECT subject FROM audit WHERE action = 'eds-unbound-duplicate' AND id LIKE 'm0022-dup-%');
CREATE UNIQUE INDEX users_one_person ON users (iin, role, (COALESCE(akimat, '')))
    WHERE iin_proven_ms IS NOT NULL;
