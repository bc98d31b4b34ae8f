-- Only jobs not done are looked up by state (issue 34: a store of at most 5 KB a case). A
-- delivered notice's job stays as the record of its delivery but leaves the index: most
-- jobs are done, and the index held each of them. Queries name `state <> 'done'` as
-- written here, which is how SQLite knows the partial index serves them.
DROP INDEX jobs_due;
CREATE INDEX jobs_due ON jobs (state, run_after_ms) WHERE state <> 'done';
