-- Access-log events written while another writer held the chain's head (an import, or a server's write on
-- another application server) wait here and join the chain afterwards. Each carries a key so that it joins
-- the chain exactly once. No sequence: the key is a time-ordered UUID, so the grants of docs/deploy.md
-- (SELECT, INSERT, UPDATE, DELETE on the tables) are enough.
CREATE TABLE access_spool (
    spool_key     TEXT PRIMARY KEY,
    at            BIGINT NOT NULL,
    force_id      TEXT,
    user_id       TEXT,
    username      TEXT NOT NULL,
    action        TEXT NOT NULL,
    record_type   TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    justification TEXT,
    outcome       TEXT NOT NULL,
    detail        TEXT NOT NULL
);
ALTER TABLE access_log ADD COLUMN spool_key TEXT;
CREATE UNIQUE INDEX access_log_spool_key ON access_log(spool_key) WHERE spool_key IS NOT NULL;
