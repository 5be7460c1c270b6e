-- The offence a referral is investigated as (NULL until confirmed: the incident type suggests one), with the
-- methods recorded beside it, and its investigation plan: actions made from the plan template of its offence when it
-- is allocated, or added by hand. Each action is a clock once the event it counts from has happened.
ALTER TABLE referrals ADD COLUMN offence TEXT;
ALTER TABLE referrals ADD COLUMN method_sextortion BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE referrals ADD COLUMN method_live_streaming BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE plan_actions (
    id            TEXT PRIMARY KEY,
    force_id      TEXT NOT NULL REFERENCES forces(id),
    referral_id   TEXT NOT NULL REFERENCES referrals(id),
    seq           BIGINT NOT NULL,
    template      TEXT,                   -- the template action's id; NULL for an action added by hand
    plan_version  TEXT,                   -- the plan set's id and version it came from
    title         TEXT NOT NULL,
    start_event   TEXT,                   -- receipt, allocation, first_enforcement, device_seizure; NULL: a fixed date
    due_target    TEXT,                   -- JSON TargetSpan after the start event
    due_fixed     BIGINT,                 -- for an action added with a date
    who           TEXT NOT NULL,          -- investigator, supervisor, forensics
    guidance      TEXT NOT NULL,
    status        TEXT NOT NULL,          -- open, done, not_applicable
    clock_id      TEXT REFERENCES clocks(id),
    done_at       BIGINT,
    done_by       TEXT REFERENCES users(id),
    note          TEXT                    -- why not applicable
);
CREATE INDEX plan_actions_by_referral ON plan_actions(referral_id, seq);
