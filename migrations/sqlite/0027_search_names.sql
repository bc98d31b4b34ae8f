-- The names an officer searches cases and certificates by, lower-cased (issue 34): snapshots
-- are now stored compressed (store::codec), so a search can no longer look inside them with
-- LIKE. Rows written before have no names and are still searched in their snapshot, which is
-- plain JSON. Keep in step with the other dialect's file.
ALTER TABLE cases ADD COLUMN names TEXT;
ALTER TABLE certificates ADD COLUMN names TEXT;
