-- Risk levels a supervisor overrode, a London month at a time, by the BCU of their referral, kept exact by
-- triggers as migrations 0018, 0021 and 0022 keep theirs: the figures read a period's overrides from here
-- rather than from every override of the period and its referral (0.4 s a year at 1,000,000 referrals).
-- An assessment is overridden once, when a supervisor decides it; the triggers follow any change all the same.
ALTER TABLE assessments ADD COLUMN decided_month TEXT GENERATED ALWAYS AS (strftime('%Y-%m', decided_at / 1000 + CASE WHEN decided_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', decided_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND decided_at / 1000 < CAST(strftime('%s', date(strftime('%Y', decided_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch')) VIRTUAL;

CREATE TABLE override_months (
    force_id TEXT NOT NULL,
    month    TEXT NOT NULL,   -- YYYY-MM, London
    bcu_key  TEXT NOT NULL,   -- '' for the central queue
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, month, bcu_key)
) WITHOUT ROWID;
INSERT INTO override_months (force_id, month, bcu_key, n)
    SELECT r.force_id, a.decided_month, COALESCE(r.bcu_id, ''), COUNT(*)
    FROM assessments a JOIN referrals r ON r.id = a.referral_id
    WHERE a.decision = 'overridden' AND a.decided_at IS NOT NULL
    GROUP BY 1, 2, 3;

CREATE TRIGGER override_months_insert AFTER INSERT ON assessments
    WHEN NEW.decision = 'overridden' AND NEW.decided_at IS NOT NULL
BEGIN
    INSERT INTO override_months (force_id, month, bcu_key, n)
        SELECT r.force_id, NEW.decided_month, COALESCE(r.bcu_id, ''), 1 FROM referrals r WHERE r.id = NEW.referral_id
        ON CONFLICT (force_id, month, bcu_key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER override_months_update AFTER UPDATE OF referral_id, decision, decided_at ON assessments
BEGIN
    INSERT INTO override_months (force_id, month, bcu_key, n)
        SELECT r.force_id, OLD.decided_month, COALESCE(r.bcu_id, ''), -1 FROM referrals r
        WHERE r.id = OLD.referral_id AND OLD.decision = 'overridden' AND OLD.decided_at IS NOT NULL
        ON CONFLICT (force_id, month, bcu_key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO override_months (force_id, month, bcu_key, n)
        SELECT r.force_id, NEW.decided_month, COALESCE(r.bcu_id, ''), 1 FROM referrals r
        WHERE r.id = NEW.referral_id AND NEW.decision = 'overridden' AND NEW.decided_at IS NOT NULL
        ON CONFLICT (force_id, month, bcu_key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER override_months_delete AFTER DELETE ON assessments
    WHEN OLD.decision = 'overridden' AND OLD.decided_at IS NOT NULL
BEGIN
    INSERT INTO override_months (force_id, month, bcu_key, n)
        SELECT r.force_id, OLD.decided_month, COALESCE(r.bcu_id, ''), -1 FROM referrals r WHERE r.id = OLD.referral_id
        ON CONFLICT (force_id, month, bcu_key) DO UPDATE SET n = n + excluded.n;
END;

-- A referral moved to another BCU takes its overrides with it.
CREATE TRIGGER override_months_referral_moved AFTER UPDATE OF bcu_id ON referrals WHEN OLD.bcu_id IS NOT NEW.bcu_id
BEGIN
    INSERT INTO override_months (force_id, month, bcu_key, n)
        SELECT NEW.force_id, a.decided_month, COALESCE(OLD.bcu_id, ''), -COUNT(*)
        FROM assessments a WHERE a.referral_id = NEW.id AND a.decision = 'overridden' AND a.decided_at IS NOT NULL
        GROUP BY 1, 2, 3
        ON CONFLICT (force_id, month, bcu_key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO override_months (force_id, month, bcu_key, n)
        SELECT NEW.force_id, a.decided_month, COALESCE(NEW.bcu_id, ''), COUNT(*)
        FROM assessments a WHERE a.referral_id = NEW.id AND a.decision = 'overridden' AND a.decided_at IS NOT NULL
        GROUP BY 1, 2, 3
        ON CONFLICT (force_id, month, bcu_key) DO UPDATE SET n = n + excluded.n;
END;
