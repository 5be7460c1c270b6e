-- Safeguard foundation schema (PostgreSQL). Never edit a migration that has shipped: add a new numbered file,
-- and the same number under migrations/sqlite.
-- Instants are BIGINT milliseconds since the Unix epoch, UTC, in both backends, so that one query text serves both.
-- Ids are UUID text.

CREATE TABLE forces (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL
);

-- BCUs and the boroughs they cover are reference data with effective dates (they are reorganised).
CREATE TABLE bcus (
    id         TEXT PRIMARY KEY,
    force_id   TEXT NOT NULL REFERENCES forces(id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    UNIQUE (force_id, code)
);

CREATE TABLE boroughs (
    force_id   TEXT NOT NULL REFERENCES forces(id),
    name       TEXT NOT NULL,          -- as written in reference/domain.md
    name_key   TEXT NOT NULL,          -- lower-case, for matching any case
    bcu_id     TEXT NOT NULL REFERENCES bcus(id),
    valid_from BIGINT NOT NULL,
    valid_to   BIGINT,
    PRIMARY KEY (force_id, name_key, valid_from)
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    force_id      TEXT NOT NULL REFERENCES forces(id),
    bcu_id        TEXT REFERENCES bcus(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT NOT NULL
);

-- Only a hash of the session token is stored, so a copy of the database does not hand out live sessions.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    csrf_token  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE referrals (
    id                  TEXT PRIMARY KEY,
    force_id            TEXT NOT NULL REFERENCES forces(id),
    bcu_id              TEXT REFERENCES bcus(id),       -- NULL: unrouted, on the central queue
    borough             TEXT,
    source              TEXT NOT NULL,
    package_ref         TEXT,
    report_id           TEXT NOT NULL,
    received_at         BIGINT NOT NULL,
    incident_type       TEXT NOT NULL,
    incident_at         BIGINT,
    escalated           BOOLEAN NOT NULL,
    escalation_reason   TEXT,
    summary             TEXT NOT NULL,                  -- narrative: personal data
    reported_person     TEXT NOT NULL,                  -- JSON: names and identifiers: personal data
    report_json         TEXT NOT NULL,                  -- the report as received
    status              TEXT NOT NULL,
    risk_level          TEXT,
    risk_reason         TEXT,
    assessed_at         BIGINT,
    assessed_by         TEXT REFERENCES users(id),
    due_at              BIGINT NOT NULL,
    clock               TEXT NOT NULL,                  -- 'triage' or 'enforcement'
    clock_version       TEXT NOT NULL,                  -- timeliness table version
    allocated_to        TEXT REFERENCES users(id),
    allocated_at        BIGINT,
    first_enforcement_at BIGINT,
    outcome_code        TEXT,
    outcome_rationale   TEXT,
    closed_at           BIGINT,
    version             BIGINT NOT NULL,                -- optimistic concurrency: bumped on every change
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    UNIQUE (force_id, source, report_id)
);
CREATE INDEX referrals_queue ON referrals(force_id, bcu_id, due_at, id);
CREATE INDEX referrals_by_status ON referrals(force_id, status);

-- The referral's timeline: every step, who and when.
CREATE TABLE referral_events (
    id           TEXT PRIMARY KEY,
    referral_id  TEXT NOT NULL REFERENCES referrals(id),
    at           BIGINT NOT NULL,
    user_id      TEXT REFERENCES users(id),
    actor        TEXT NOT NULL,                          -- display name at the time
    kind         TEXT NOT NULL,
    summary      TEXT NOT NULL
);
CREATE INDEX referral_events_by_referral ON referral_events(referral_id, at);

-- The access log (DPA 2018 s62). Append-only: the triggers below refuse UPDATE and DELETE, and each row's
-- hash chains to the previous one. The chain's head is kept, signed with a key held outside the database,
-- in audit_checkpoint, so that a deleted tail shows.
CREATE TABLE access_log (
    seq           BIGINT PRIMARY KEY,
    at            BIGINT NOT NULL,
    force_id      TEXT,
    user_id       TEXT,
    username      TEXT NOT NULL,
    action        TEXT NOT NULL,      -- collection, alteration, consultation, disclosure, combination, erasure
    record_type   TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    justification TEXT,
    outcome       TEXT NOT NULL,      -- allowed or denied
    detail        TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX access_log_by_record ON access_log(record_id);
CREATE INDEX access_log_by_user ON access_log(username);
CREATE INDEX access_log_by_at ON access_log(at);

CREATE FUNCTION access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_no_update BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();

CREATE TABLE audit_checkpoint (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL,
    mac   TEXT NOT NULL
);
