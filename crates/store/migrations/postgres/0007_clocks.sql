-- Clocks beyond a referral's triage and enforcement clocks (which stay on the referral row): supervisory reviews
-- now, plan actions, bail returns, social care referrals and forensic steps as they come. Each has a start, a
-- target (or a fixed due time), pauses with reasons, and a stop with a reason code when late. A clock ended because
-- its referral closed is 'cancelled' and counts in no figure.
CREATE TABLE clocks (
    id            TEXT PRIMARY KEY,
    force_id      TEXT NOT NULL REFERENCES forces(id),
    referral_id   TEXT NOT NULL REFERENCES referrals(id),
    kind          TEXT NOT NULL,          -- supervision_review, plan_action, bail_return, ...
    started_at    BIGINT NOT NULL,
    target        TEXT,                   -- JSON TargetSpan, or NULL for a fixed due time
    base_due      BIGINT NOT NULL,        -- the due time before any pause
    stopped_at    BIGINT,
    ended         TEXT,                   -- NULL while running; 'stopped' or 'cancelled'
    late_code     TEXT,                   -- the reason code when stopped late
    late_text     TEXT                    -- the officer's words (never in figures)
);
CREATE INDEX clocks_by_referral ON clocks(referral_id, kind, started_at);
CREATE INDEX clocks_running ON clocks(force_id, kind, ended);

CREATE TABLE clock_pauses (
    id          TEXT PRIMARY KEY,
    clock_id    TEXT NOT NULL REFERENCES clocks(id),
    from_at     BIGINT NOT NULL,
    to_at       BIGINT,
    reason      TEXT NOT NULL,
    paused_by   TEXT REFERENCES users(id),
    resumed_by  TEXT REFERENCES users(id)
);
CREATE INDEX clock_pauses_by_clock ON clock_pauses(clock_id, from_at);

-- A sergeant's periodic review of an allocated referral: a short structured record.
CREATE TABLE supervision_reviews (
    id                TEXT PRIMARY KEY,
    force_id          TEXT NOT NULL REFERENCES forces(id),
    referral_id       TEXT NOT NULL REFERENCES referrals(id),
    clock_id          TEXT REFERENCES clocks(id),
    by_user           TEXT NOT NULL REFERENCES users(id),
    at                BIGINT NOT NULL,
    progress          TEXT NOT NULL,
    risk_still_right  BOOLEAN NOT NULL,
    next_steps        TEXT NOT NULL,
    plan_change       TEXT
);
CREATE INDEX supervision_reviews_by_referral ON supervision_reviews(referral_id, at);
