-- No-further-action proposals, approvals and returns, a London month at a time, by the BCU of their referral, kept
-- exact by triggers as migrations 0018 and 0021 keep theirs. Besides the period's counts, they give the proposals
-- awaiting a sergeant's approval at a month's end without reading every decision ever made: each proposal is
-- approved or returned once, so those awaiting are the proposals made by then less the approvals and returns.
ALTER TABLE outcome_decisions ADD COLUMN decided_month TEXT GENERATED ALWAYS AS (strftime('%Y-%m', at / 1000 + CASE WHEN at / 1000 >= CAST(strftime('%s', date(strftime('%Y', at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND at / 1000 < CAST(strftime('%s', date(strftime('%Y', at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch')) VIRTUAL;

CREATE TABLE decision_months (
    force_id TEXT NOT NULL,
    month    TEXT NOT NULL,   -- YYYY-MM, London
    bcu_key  TEXT NOT NULL,   -- '' for the central queue
    kind     TEXT NOT NULL,   -- proposed, approved, returned
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, month, bcu_key, kind)
);
INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
    SELECT d.force_id, d.decided_month, COALESCE(r.bcu_id, ''), d.kind, COUNT(*)
    FROM outcome_decisions d JOIN referrals r ON r.id = d.referral_id
    WHERE d.kind IN ('proposed', 'approved', 'returned')
    GROUP BY 1, 2, 3, 4;

CREATE TRIGGER decision_months_insert AFTER INSERT ON outcome_decisions
BEGIN
    INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
        SELECT NEW.force_id, NEW.decided_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = NEW.referral_id), ''), NEW.kind, +1 WHERE NEW.kind IN ('proposed', 'approved', 'returned')
        ON CONFLICT (force_id, month, bcu_key, kind) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER decision_months_update AFTER UPDATE OF force_id, referral_id, kind, at ON outcome_decisions
BEGIN
    INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
        SELECT OLD.force_id, OLD.decided_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = OLD.referral_id), ''), OLD.kind, -1 WHERE OLD.kind IN ('proposed', 'approved', 'returned')
        ON CONFLICT (force_id, month, bcu_key, kind) DO UPDATE SET n = n + excluded.n;
    INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
        SELECT NEW.force_id, NEW.decided_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = NEW.referral_id), ''), NEW.kind, +1 WHERE NEW.kind IN ('proposed', 'approved', 'returned')
        ON CONFLICT (force_id, month, bcu_key, kind) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER decision_months_delete AFTER DELETE ON outcome_decisions
BEGIN
    INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
        SELECT OLD.force_id, OLD.decided_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = OLD.referral_id), ''), OLD.kind, -1 WHERE OLD.kind IN ('proposed', 'approved', 'returned')
        ON CONFLICT (force_id, month, bcu_key, kind) DO UPDATE SET n = n + excluded.n;
END;

-- A referral moved to another BCU takes its decisions with it.
CREATE TRIGGER decision_months_referral_moved AFTER UPDATE OF bcu_id ON referrals WHEN OLD.bcu_id IS NOT NEW.bcu_id
BEGIN
    INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
        SELECT d.force_id, d.decided_month, COALESCE(OLD.bcu_id, ''), d.kind, -COUNT(*)
        FROM outcome_decisions d WHERE d.referral_id = NEW.id AND d.kind IN ('proposed', 'approved', 'returned')
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (force_id, month, bcu_key, kind) DO UPDATE SET n = n + excluded.n;
    INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
        SELECT d.force_id, d.decided_month, COALESCE(NEW.bcu_id, ''), d.kind, COUNT(*)
        FROM outcome_decisions d WHERE d.referral_id = NEW.id AND d.kind IN ('proposed', 'approved', 'returned')
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (force_id, month, bcu_key, kind) DO UPDATE SET n = n + excluded.n;
END;
