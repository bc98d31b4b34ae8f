-- A person's name in its parts as their EDS certificate gives them (SURNAME, the given names
-- after it in the common name, the patronymic in G), so forms are pre-filled with the parts
-- as registered, never by splitting a name on spaces. Refreshed at every entry by EDS.
-- Keep in step with the other dialect's file.
CREATE TABLE user_names (
    user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    surname     TEXT NOT NULL,
    given_names TEXT NOT NULL,
    patronymic  TEXT
);
