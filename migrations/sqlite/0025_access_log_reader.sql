-- Administrators search who read people's records by the staff member (issue 36). Keep in
-- step with the other dialect's file.
CREATE INDEX access_log_reader ON access_log (reader_id, at_ms);
