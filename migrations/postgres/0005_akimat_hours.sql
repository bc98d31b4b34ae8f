-- Working hours an administrator set for an akimat (the default is 09:00-18:30).
CREATE TABLE akimat_hours (
    akimat      TEXT   PRIMARY KEY,
    start_time  TEXT   NOT NULL,
    end_time    TEXT   NOT NULL,
    updated_ms  BIGINT NOT NULL
);
