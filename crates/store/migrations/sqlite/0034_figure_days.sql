-- The referral counts of figure_months (migration 0018), a London day at a time, kept the same way by triggers in
-- the same transaction as every change to a referral, so that a period of days, or the part of a month at either
-- end of one, is read from kept counts rather than from the referrals of those days. A day is a London calendar
-- day, YYYY-MM-DD; the measures and their dimensions are figure_months'.
ALTER TABLE referrals ADD COLUMN received_day TEXT GENERATED ALWAYS AS (CASE WHEN received_at IS NULL THEN NULL ELSE strftime('%Y-%m-%d', received_at / 1000 + CASE WHEN received_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', received_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND received_at / 1000 < CAST(strftime('%s', date(strftime('%Y', received_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;
ALTER TABLE referrals ADD COLUMN enforced_day TEXT GENERATED ALWAYS AS (CASE WHEN first_enforcement_at IS NULL THEN NULL ELSE strftime('%Y-%m-%d', first_enforcement_at / 1000 + CASE WHEN first_enforcement_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', first_enforcement_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND first_enforcement_at / 1000 < CAST(strftime('%s', date(strftime('%Y', first_enforcement_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;
ALTER TABLE referrals ADD COLUMN closed_day TEXT GENERATED ALWAYS AS (CASE WHEN closed_at IS NULL THEN NULL ELSE strftime('%Y-%m-%d', closed_at / 1000 + CASE WHEN closed_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', closed_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND closed_at / 1000 < CAST(strftime('%s', date(strftime('%Y', closed_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;
ALTER TABLE referrals ADD COLUMN assessed_day TEXT GENERATED ALWAYS AS (CASE WHEN assessed_at IS NULL THEN NULL ELSE strftime('%Y-%m-%d', assessed_at / 1000 + CASE WHEN assessed_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', assessed_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND assessed_at / 1000 < CAST(strftime('%s', date(strftime('%Y', assessed_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;

CREATE TABLE figure_days (
    force_id TEXT NOT NULL,
    measure  TEXT NOT NULL,
    day      TEXT NOT NULL,   -- YYYY-MM-DD, London
    bcu_key  TEXT NOT NULL,   -- '' for the central queue
    dim      TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, measure, day, bcu_key, dim)
);
INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
    SELECT r.force_id, 'received', r.received_day, COALESCE(r.bcu_id, ''), r.source || '|' || COALESCE(r.risk_level, '') || '|' || (CASE WHEN r.escalated THEN 1 ELSE 0 END), COUNT(*) FROM referrals r WHERE 1
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
    SELECT r.force_id, 'enforced', r.enforced_day, COALESCE(r.bcu_id, ''), COALESCE(r.risk_level, '') || '|' || (CASE WHEN r.first_enforcement_at <= r.due_at THEN 1 ELSE 0 END) || '|' || r.enforce_step, COUNT(*) FROM referrals r WHERE r.first_enforcement_at IS NOT NULL AND r.clock <> 'triage'
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
    SELECT r.force_id, 'closed', r.closed_day, COALESCE(r.bcu_id, ''), COALESCE(r.outcome_code, '') || '|' || COALESCE(r.risk_level, ''), COUNT(*) FROM referrals r WHERE r.status = 'closed' AND r.closed_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
    SELECT r.force_id, 'triaged', r.assessed_day, COALESCE(r.bcu_id, ''), COALESCE(r.risk_level, '') || '|' || r.triage_step, COUNT(*) FROM referrals r WHERE r.assessed_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER figure_days_insert AFTER INSERT ON referrals
BEGIN
    INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
        SELECT NEW.force_id, 'received', NEW.received_day, COALESCE(NEW.bcu_id, ''), NEW.source || '|' || COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.escalated THEN 1 ELSE 0 END), 1 WHERE 1
        ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
        SELECT NEW.force_id, 'enforced', NEW.enforced_day, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.first_enforcement_at <= NEW.due_at THEN 1 ELSE 0 END) || '|' || NEW.enforce_step, 1 WHERE NEW.first_enforcement_at IS NOT NULL AND NEW.clock <> 'triage'
        ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
        SELECT NEW.force_id, 'closed', NEW.closed_day, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.outcome_code, '') || '|' || COALESCE(NEW.risk_level, ''), 1 WHERE NEW.status = 'closed' AND NEW.closed_at IS NOT NULL
        ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
        SELECT NEW.force_id, 'triaged', NEW.assessed_day, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || NEW.triage_step, 1 WHERE NEW.assessed_at IS NOT NULL
        ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER figure_days_update AFTER UPDATE OF force_id, bcu_id, received_at, source, risk_level, escalated, first_enforcement_at, clock, due_at, status, closed_at, outcome_code, assessed_at ON referrals
    WHEN OLD.force_id IS NOT NEW.force_id OR OLD.bcu_id IS NOT NEW.bcu_id OR OLD.received_at IS NOT NEW.received_at OR OLD.source IS NOT NEW.source OR OLD.risk_level IS NOT NEW.risk_level OR OLD.escalated IS NOT NEW.escalated OR OLD.first_enforcement_at IS NOT NEW.first_enforcement_at OR OLD.clock IS NOT NEW.clock OR OLD.due_at IS NOT NEW.due_at OR OLD.status IS NOT NEW.status OR OLD.closed_at IS NOT NEW.closed_at OR OLD.outcome_code IS NOT NEW.outcome_code OR OLD.assessed_at IS NOT NEW.assessed_at
BEGIN
    UPDATE figure_days SET n = n - 1
        WHERE 1 AND force_id = OLD.force_id AND measure = 'received' AND day = OLD.received_day
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = OLD.source || '|' || COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.escalated THEN 1 ELSE 0 END);
    UPDATE figure_days SET n = n - 1
        WHERE OLD.first_enforcement_at IS NOT NULL AND OLD.clock <> 'triage' AND force_id = OLD.force_id AND measure = 'enforced' AND day = OLD.enforced_day
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.first_enforcement_at <= OLD.due_at THEN 1 ELSE 0 END) || '|' || OLD.enforce_step;
    UPDATE figure_days SET n = n - 1
        WHERE OLD.status = 'closed' AND OLD.closed_at IS NOT NULL AND force_id = OLD.force_id AND measure = 'closed' AND day = OLD.closed_day
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.outcome_code, '') || '|' || COALESCE(OLD.risk_level, '');
    UPDATE figure_days SET n = n - 1
        WHERE OLD.assessed_at IS NOT NULL AND force_id = OLD.force_id AND measure = 'triaged' AND day = OLD.assessed_day
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || OLD.triage_step;
    INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
        SELECT NEW.force_id, 'received', NEW.received_day, COALESCE(NEW.bcu_id, ''), NEW.source || '|' || COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.escalated THEN 1 ELSE 0 END), 1 WHERE 1
        ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
        SELECT NEW.force_id, 'enforced', NEW.enforced_day, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.first_enforcement_at <= NEW.due_at THEN 1 ELSE 0 END) || '|' || NEW.enforce_step, 1 WHERE NEW.first_enforcement_at IS NOT NULL AND NEW.clock <> 'triage'
        ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
        SELECT NEW.force_id, 'closed', NEW.closed_day, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.outcome_code, '') || '|' || COALESCE(NEW.risk_level, ''), 1 WHERE NEW.status = 'closed' AND NEW.closed_at IS NOT NULL
        ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
        SELECT NEW.force_id, 'triaged', NEW.assessed_day, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || NEW.triage_step, 1 WHERE NEW.assessed_at IS NOT NULL
        ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER figure_days_delete AFTER DELETE ON referrals
BEGIN
    UPDATE figure_days SET n = n - 1
        WHERE 1 AND force_id = OLD.force_id AND measure = 'received' AND day = OLD.received_day
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = OLD.source || '|' || COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.escalated THEN 1 ELSE 0 END);
    UPDATE figure_days SET n = n - 1
        WHERE OLD.first_enforcement_at IS NOT NULL AND OLD.clock <> 'triage' AND force_id = OLD.force_id AND measure = 'enforced' AND day = OLD.enforced_day
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.first_enforcement_at <= OLD.due_at THEN 1 ELSE 0 END) || '|' || OLD.enforce_step;
    UPDATE figure_days SET n = n - 1
        WHERE OLD.status = 'closed' AND OLD.closed_at IS NOT NULL AND force_id = OLD.force_id AND measure = 'closed' AND day = OLD.closed_day
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.outcome_code, '') || '|' || COALESCE(OLD.risk_level, '');
    UPDATE figure_days SET n = n - 1
        WHERE OLD.assessed_at IS NOT NULL AND force_id = OLD.force_id AND measure = 'triaged' AND day = OLD.assessed_day
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || OLD.triage_step;
END;
