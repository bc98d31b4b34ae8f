-- Who filed a complaint, so the applicant's cabinet can list their complaints.
ALTER TABLE complaints ADD COLUMN complainant_iin TEXT;
CREATE INDEX complaints_complainant ON complaints (complainant_iin);
CREATE INDEX complaints_state ON complaints (state, due_on);
