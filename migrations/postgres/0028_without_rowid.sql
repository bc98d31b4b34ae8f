-- SQLite's file moves narrow text-keyed tables into their key's b-tree (WITHOUT ROWID).
-- PostgreSQL keeps a heap and an index whatever it is told, so here there is nothing to do.
-- Keep in step with the other dialect's file.
SELECT 1;
