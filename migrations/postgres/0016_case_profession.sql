-- The officer filters the akimat's cases by profession, and the reports count by it: the
-- profession an issue applies for (the other services name a certificate, which holds it).
ALTER TABLE cases ADD COLUMN profession TEXT;
UPDATE cases SET profession = (snapshot::jsonb -> 'application' ->> 'profession');
CREATE INDEX cases_profession ON cases (akimat, profession);
