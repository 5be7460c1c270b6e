-- Access-log events written while another writer held the database (an import) wait in a spool file of their
-- own beside the database (safeguard.db-access-spool) and join the chain afterwards. Each carries a key so
-- that it joins the chain exactly once, even if the server stops between chaining it and emptying the spool.
ALTER TABLE access_log ADD COLUMN spool_key TEXT;
CREATE UNIQUE INDEX access_log_spool_key ON access_log(spool_key) WHERE spool_key IS NOT NULL;
