-- Sign-in names are unique whatever their case (`INV.CN` and `inv.cn` are one account), and each account
-- keeps its own count of sign-in attempts since its last success, checked and incremented in one statement so
-- that parallel attempts (or several servers) cannot get more password checks through than the limit.
-- Before this migration runs, `Store::open` lists any names that differ only in case and refuses to go on.
CREATE UNIQUE INDEX users_username_any_case ON users (lower(username));
ALTER TABLE users ADD COLUMN sign_in_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until BIGINT;
