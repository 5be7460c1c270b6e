-- Closing a referral: a no-further-action outcome is proposed by an investigator and waits (status
-- 'outcome_proposed') for a supervisor, who approves it or returns it to the status it had; a supervisor can reopen
-- a closed referral, which returns to the status it had before closing. Every proposal and decision is kept.
ALTER TABLE referrals ADD COLUMN prior_status TEXT;                           -- status before the proposal or the closure
ALTER TABLE referrals ADD COLUMN outcome_proposed_by TEXT REFERENCES users(id);
ALTER TABLE referrals ADD COLUMN outcome_proposed_at BIGINT;
ALTER TABLE referrals ADD COLUMN victim_informed TEXT;                        -- code 21: 'victim' or 'parent_or_guardian'
ALTER TABLE referrals ADD COLUMN retention_review_on TEXT;                    -- YYYY-MM-DD, set on closing

CREATE TABLE outcome_decisions (
    id            TEXT PRIMARY KEY,
    force_id      TEXT NOT NULL REFERENCES forces(id),
    referral_id   TEXT NOT NULL REFERENCES referrals(id),
    kind          TEXT NOT NULL,          -- proposed, closed, approved, returned, reopened
    code          TEXT,                   -- Home Office outcome code
    text          TEXT,                   -- the rationale or the reason
    by_user       TEXT REFERENCES users(id),
    at            BIGINT NOT NULL
);
CREATE INDEX outcome_decisions_by_referral ON outcome_decisions(referral_id, at);
CREATE INDEX outcome_decisions_by_force ON outcome_decisions(force_id, kind, at);
