-- A delivery is marked as being sent before its SMTP transaction and done after it (issue
-- 35): a job still marked when its lease runs out was cut off mid-delivery, and is sent again
-- with the same Message-ID, so the receiving side keeps one. Keep in step with the other
-- dialect's file.
ALTER TABLE jobs ADD COLUMN sending_ms BIGINT;
