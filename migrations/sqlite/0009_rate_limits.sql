-- Requests per client, class and one-minute window, counted across every node that shares
-- the database. Only PostgreSQL serves several nodes; SQLite keeps the table so that both
-- schemas stay the same.
CREATE TABLE rate_limits (
    client TEXT NOT NULL,
    class TEXT NOT NULL,
    window_ms BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (client, class, window_ms)
);
CREATE INDEX rate_limits_window ON rate_limits (window_ms);
