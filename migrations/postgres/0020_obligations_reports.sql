-- The holder's windows (Rules §16 extension, Rules §22 para 2 re-issue after a §18 notice),
-- one row per window, with the next day the sweep must look at it (indexed): the reminder
-- day, then the day after the window closes. `state` is open, reminded, met, missed or void.
CREATE TABLE obligations (
    id           TEXT   PRIMARY KEY,
    win          TEXT   NOT NULL,
    certificate  TEXT   NOT NULL,
    holder_iin   TEXT   NOT NULL,
    akimat       TEXT   NOT NULL,
    due_on       TEXT   NOT NULL,
    remind_on    TEXT   NOT NULL,
    citation     TEXT   NOT NULL,
    state        TEXT   NOT NULL,
    act_on       TEXT,
    met_by       TEXT,
    updated_ms   BIGINT NOT NULL
);
CREATE INDEX obligations_act ON obligations (act_on);
CREATE INDEX obligations_certificate ON obligations (certificate);

-- Reports, pre-aggregated by the writer: counts per day ('d', YYYY-MM-DD), part of a month
-- ('p', YYYY-MM-P: days 1-8, 9-16, 17-24, 25-end), month ('m', YYYY-MM) and year ('y', YYYY),
-- so a period reads whole years, whole months, whole parts, then the days left.
-- measure: 'filed' (label = profession), 'outcome' (label = outcome), 'ground' (label =
-- refusal ground), 'stage' (label = the state the stage ran in, or 'service' for the whole;
-- working_days it took, late when it ended after its due day).
CREATE TABLE report_cells (
    grain         TEXT   NOT NULL,
    period        TEXT   NOT NULL,
    akimat        TEXT   NOT NULL,
    service       TEXT   NOT NULL,
    measure       TEXT   NOT NULL,
    label         TEXT   NOT NULL,
    working_days  BIGINT NOT NULL,
    late          BIGINT NOT NULL,
    count         BIGINT NOT NULL,
    PRIMARY KEY (grain, period, akimat, service, measure, label, working_days, late)
);

-- The running stage's first day and allowance beside its due day, as the case row shows them.
ALTER TABLE cases ADD COLUMN due_from TEXT;
ALTER TABLE cases ADD COLUMN due_days BIGINT;

-- Open cases counted by their binding stage's allowance (akimat, first day, due day, working
-- days), kept by the writer, so the cases at risk are judged from a few rows.
CREATE TABLE open_stages (
    akimat    TEXT   NOT NULL,
    due_from  TEXT   NOT NULL,
    due_on    TEXT   NOT NULL,
    due_days  BIGINT NOT NULL,
    count     BIGINT NOT NULL,
    PRIMARY KEY (akimat, due_from, due_on, due_days)
);

-- Read models the rules and the calendar must fill (the cells, the windows, the running
-- cases' allowances): asked for here, done by the store when it next opens (store::rebuild).
CREATE TABLE rebuilds (
    name  TEXT PRIMARY KEY
);
INSERT INTO rebuilds (name) VALUES ('reports-windows');
