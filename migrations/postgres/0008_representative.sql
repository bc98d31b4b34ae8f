-- A person the applicant authorised (Rules §3) files for them and follows the case from their
-- own cabinet: the case is listed under the representative's IIN as well as the applicant's.
ALTER TABLE cases ADD COLUMN representative_iin TEXT;
UPDATE cases SET representative_iin = (snapshot::jsonb -> 'application' -> 'representative' ->> 'iin');
CREATE INDEX cases_representative ON cases (representative_iin);
