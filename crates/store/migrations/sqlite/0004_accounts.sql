-- Separation of duties for accounts: a change that can open case content (an account with a case role, a new
-- role, another BCU, an account enabled again, a password set by an administrator) is stored as a request and
-- takes effect only when a second administrator approves it. Nothing is overwritten: a request keeps who asked,
-- who decided, when and why.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE account_requests (
    id            TEXT PRIMARY KEY,
    force_id      TEXT NOT NULL REFERENCES forces(id),
    change        TEXT NOT NULL,
    target_user   TEXT REFERENCES users(id),
    username      TEXT,
    display_name  TEXT,
    role          TEXT,
    bcu_id        TEXT REFERENCES bcus(id),
    password_hash TEXT,
    requested_by  TEXT NOT NULL REFERENCES users(id),
    requested_at  BIGINT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    decided_by    TEXT REFERENCES users(id),
    decided_at    BIGINT,
    reason        TEXT
);
CREATE INDEX account_requests_by_force ON account_requests (force_id, status, requested_at);
