-- The Commission's minutes while they are being signed (Rules §9). A member records the
-- decision; the members of the akimat's roster at that moment are kept with it; each member
-- present signs the record's exact bytes with their own EDS. The decision takes effect, as a
-- case event, only when the signatures make a quorum, so "who was present" is who signed.
CREATE TABLE minutes_drafts (
    case_number TEXT PRIMARY KEY,
    content TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    -- How many have signed: a draft with signatures is never replaced, and a signature is
    -- kept only over the content the draft still has (both decided on this row's lock).
    signatures BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE minutes_signatures (
    case_number TEXT NOT NULL,
    member TEXT NOT NULL,
    signature TEXT NOT NULL,
    signer TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (case_number, member)
);
