-- Requests per client, class and one-minute window, counted across every node that shares
-- the database. UNLOGGED: a counter lost in a server crash costs nothing, and counting a
-- request then writes no WAL and waits for no fsync.
CREATE UNLOGGED TABLE rate_limits (
    client TEXT NOT NULL,
    class TEXT NOT NULL,
    window_ms BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (client, class, window_ms)
);
CREATE INDEX rate_limits_window ON rate_limits (window_ms);
