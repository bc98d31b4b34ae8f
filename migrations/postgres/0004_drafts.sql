-- Application drafts: what an applicant typed and uploaded, saved to resume later.
CREATE TABLE drafts (
    user_id     TEXT   NOT NULL,
    service     TEXT   NOT NULL,
    content     TEXT   NOT NULL,
    updated_ms  BIGINT NOT NULL,
    PRIMARY KEY (user_id, service)
);
