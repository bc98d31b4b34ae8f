-- Documents in the database (issue 35: stateless nodes). With PostgreSQL every node reads
-- and writes them here, so nodes share nothing on disk. The embedded SQLite store keeps its
-- documents as files beside the database and leaves this table empty.
CREATE TABLE documents (
    sha256  TEXT  PRIMARY KEY,
    bytes   BYTEA NOT NULL
);
