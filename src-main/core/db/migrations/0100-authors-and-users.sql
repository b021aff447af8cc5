-- Several people can label one project: each edit step records who made it, so undo is per user and the
-- history names authors. Steps recorded before have author NULL (anyone's). `users` are the team members
-- a server admits: a token is shown once when the user is added, only its sha256 (hex) is kept.
ALTER TABLE edit_groups ADD COLUMN author TEXT;
CREATE TABLE users (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
