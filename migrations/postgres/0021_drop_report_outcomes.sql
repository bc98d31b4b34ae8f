-- The outcomes by day of 0001 are counted, with more, in report_cells (0020): one count,
-- not two kept side by side in every batch.
DROP TABLE report_outcomes;
