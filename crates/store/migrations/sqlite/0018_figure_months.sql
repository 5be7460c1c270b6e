-- The oversight figures, a month at a time, kept exact by triggers in the same transaction as every change to a
-- referral, so a year's figures for a force of a million referrals are read from a few thousand rows.
--
-- Each referral counts once in each measure that applies to it, in the London month of the measure's time:
--   received  month received;                 dim source|risk level|escalated (0 or 1)
--   enforced  month of the first enforcement; dim risk level|target met (0 or 1)|minutes from receipt, in steps
--   closed    month closed;                   dim outcome code|risk level
--   triaged   month the risk level was set;   dim risk level|minutes from receipt, in steps
-- Steps of minutes: 5 below 2 hours, 15 below a day, 60 below a week, a day beyond (the step's start). A
-- referral's figures follow it as it changes (a new risk level, a reopening), as the rest of the product does.
--
-- The London month of a time (British Summer Time from 01:00 UTC on the last Sunday of March to 01:00 UTC on
-- the last Sunday of October), and the steps, are generated columns, so the triggers and the first filling
-- below share one definition.
ALTER TABLE referrals ADD COLUMN received_month TEXT GENERATED ALWAYS AS (CASE WHEN received_at IS NULL THEN NULL ELSE strftime('%Y-%m', received_at / 1000 + CASE WHEN received_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', received_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND received_at / 1000 < CAST(strftime('%s', date(strftime('%Y', received_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;
ALTER TABLE referrals ADD COLUMN enforced_month TEXT GENERATED ALWAYS AS (CASE WHEN first_enforcement_at IS NULL THEN NULL ELSE strftime('%Y-%m', first_enforcement_at / 1000 + CASE WHEN first_enforcement_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', first_enforcement_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND first_enforcement_at / 1000 < CAST(strftime('%s', date(strftime('%Y', first_enforcement_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;
ALTER TABLE referrals ADD COLUMN closed_month TEXT GENERATED ALWAYS AS (CASE WHEN closed_at IS NULL THEN NULL ELSE strftime('%Y-%m', closed_at / 1000 + CASE WHEN closed_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', closed_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND closed_at / 1000 < CAST(strftime('%s', date(strftime('%Y', closed_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;
ALTER TABLE referrals ADD COLUMN assessed_month TEXT GENERATED ALWAYS AS (CASE WHEN assessed_at IS NULL THEN NULL ELSE strftime('%Y-%m', assessed_at / 1000 + CASE WHEN assessed_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', assessed_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND assessed_at / 1000 < CAST(strftime('%s', date(strftime('%Y', assessed_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;
ALTER TABLE referrals ADD COLUMN enforce_step BIGINT GENERATED ALWAYS AS (CASE WHEN first_enforcement_at IS NULL THEN NULL WHEN max(0, (first_enforcement_at - received_at) / 60000) < 120 THEN max(0, (first_enforcement_at - received_at) / 60000) / 5 * 5 WHEN max(0, (first_enforcement_at - received_at) / 60000) < 1440 THEN max(0, (first_enforcement_at - received_at) / 60000) / 15 * 15
        WHEN max(0, (first_enforcement_at - received_at) / 60000) < 10080 THEN max(0, (first_enforcement_at - received_at) / 60000) / 60 * 60 ELSE max(0, (first_enforcement_at - received_at) / 60000) / 1440 * 1440 END) VIRTUAL;
ALTER TABLE referrals ADD COLUMN triage_step BIGINT GENERATED ALWAYS AS (CASE WHEN assessed_at IS NULL THEN NULL WHEN max(0, (assessed_at - received_at) / 60000) < 120 THEN max(0, (assessed_at - received_at) / 60000) / 5 * 5 WHEN max(0, (assessed_at - received_at) / 60000) < 1440 THEN max(0, (assessed_at - received_at) / 60000) / 15 * 15
        WHEN max(0, (assessed_at - received_at) / 60000) < 10080 THEN max(0, (assessed_at - received_at) / 60000) / 60 * 60 ELSE max(0, (assessed_at - received_at) / 60000) / 1440 * 1440 END) VIRTUAL;

CREATE TABLE figure_months (
    force_id TEXT NOT NULL,
    measure  TEXT NOT NULL,
    month    TEXT NOT NULL,   -- YYYY-MM, London
    bcu_key  TEXT NOT NULL,   -- '' for the central queue
    dim      TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, measure, month, bcu_key, dim)
);
INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
    SELECT r.force_id, 'received', r.received_month, COALESCE(r.bcu_id, ''), r.source || '|' || COALESCE(r.risk_level, '') || '|' || (CASE WHEN r.escalated THEN 1 ELSE 0 END), COUNT(*) FROM referrals r WHERE 1
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
    SELECT r.force_id, 'enforced', r.enforced_month, COALESCE(r.bcu_id, ''), COALESCE(r.risk_level, '') || '|' || (CASE WHEN r.first_enforcement_at <= r.due_at THEN 1 ELSE 0 END) || '|' || r.enforce_step, COUNT(*) FROM referrals r WHERE r.first_enforcement_at IS NOT NULL AND r.clock <> 'triage'
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
    SELECT r.force_id, 'closed', r.closed_month, COALESCE(r.bcu_id, ''), COALESCE(r.outcome_code, '') || '|' || COALESCE(r.risk_level, ''), COUNT(*) FROM referrals r WHERE r.status = 'closed' AND r.closed_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
    SELECT r.force_id, 'triaged', r.assessed_month, COALESCE(r.bcu_id, ''), COALESCE(r.risk_level, '') || '|' || r.triage_step, COUNT(*) FROM referrals r WHERE r.assessed_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER figure_months_insert AFTER INSERT ON referrals
BEGIN
    INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, 'received', NEW.received_month, COALESCE(NEW.bcu_id, ''), NEW.source || '|' || COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.escalated THEN 1 ELSE 0 END), 1 WHERE 1
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, 'enforced', NEW.enforced_month, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.first_enforcement_at <= NEW.due_at THEN 1 ELSE 0 END) || '|' || NEW.enforce_step, 1 WHERE NEW.first_enforcement_at IS NOT NULL AND NEW.clock <> 'triage'
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, 'closed', NEW.closed_month, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.outcome_code, '') || '|' || COALESCE(NEW.risk_level, ''), 1 WHERE NEW.status = 'closed' AND NEW.closed_at IS NOT NULL
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, 'triaged', NEW.assessed_month, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || NEW.triage_step, 1 WHERE NEW.assessed_at IS NOT NULL
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER figure_months_update AFTER UPDATE OF force_id, bcu_id, received_at, source, risk_level, escalated, first_enforcement_at, clock, due_at, status, closed_at, outcome_code, assessed_at ON referrals
    WHEN OLD.force_id IS NOT NEW.force_id OR OLD.bcu_id IS NOT NEW.bcu_id OR OLD.received_at IS NOT NEW.received_at OR OLD.source IS NOT NEW.source OR OLD.risk_level IS NOT NEW.risk_level OR OLD.escalated IS NOT NEW.escalated OR OLD.first_enforcement_at IS NOT NEW.first_enforcement_at OR OLD.clock IS NOT NEW.clock OR OLD.due_at IS NOT NEW.due_at OR OLD.status IS NOT NEW.status OR OLD.closed_at IS NOT NEW.closed_at OR OLD.outcome_code IS NOT NEW.outcome_code OR OLD.assessed_at IS NOT NEW.assessed_at
BEGIN
    UPDATE figure_months SET n = n - 1
        WHERE 1 AND force_id = OLD.force_id AND measure = 'received' AND month = OLD.received_month
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = OLD.source || '|' || COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.escalated THEN 1 ELSE 0 END);
    UPDATE figure_months SET n = n - 1
        WHERE OLD.first_enforcement_at IS NOT NULL AND OLD.clock <> 'triage' AND force_id = OLD.force_id AND measure = 'enforced' AND month = OLD.enforced_month
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.first_enforcement_at <= OLD.due_at THEN 1 ELSE 0 END) || '|' || OLD.enforce_step;
    UPDATE figure_months SET n = n - 1
        WHERE OLD.status = 'closed' AND OLD.closed_at IS NOT NULL AND force_id = OLD.force_id AND measure = 'closed' AND month = OLD.closed_month
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.outcome_code, '') || '|' || COALESCE(OLD.risk_level, '');
    UPDATE figure_months SET n = n - 1
        WHERE OLD.assessed_at IS NOT NULL AND force_id = OLD.force_id AND measure = 'triaged' AND month = OLD.assessed_month
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || OLD.triage_step;
    INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, 'received', NEW.received_month, COALESCE(NEW.bcu_id, ''), NEW.source || '|' || COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.escalated THEN 1 ELSE 0 END), 1 WHERE 1
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, 'enforced', NEW.enforced_month, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.first_enforcement_at <= NEW.due_at THEN 1 ELSE 0 END) || '|' || NEW.enforce_step, 1 WHERE NEW.first_enforcement_at IS NOT NULL AND NEW.clock <> 'triage'
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, 'closed', NEW.closed_month, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.outcome_code, '') || '|' || COALESCE(NEW.risk_level, ''), 1 WHERE NEW.status = 'closed' AND NEW.closed_at IS NOT NULL
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + 1;
    INSERT INTO figure_months (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, 'triaged', NEW.assessed_month, COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || NEW.triage_step, 1 WHERE NEW.assessed_at IS NOT NULL
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER figure_months_delete AFTER DELETE ON referrals
BEGIN
    UPDATE figure_months SET n = n - 1
        WHERE 1 AND force_id = OLD.force_id AND measure = 'received' AND month = OLD.received_month
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = OLD.source || '|' || COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.escalated THEN 1 ELSE 0 END);
    UPDATE figure_months SET n = n - 1
        WHERE OLD.first_enforcement_at IS NOT NULL AND OLD.clock <> 'triage' AND force_id = OLD.force_id AND measure = 'enforced' AND month = OLD.enforced_month
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.first_enforcement_at <= OLD.due_at THEN 1 ELSE 0 END) || '|' || OLD.enforce_step;
    UPDATE figure_months SET n = n - 1
        WHERE OLD.status = 'closed' AND OLD.closed_at IS NOT NULL AND force_id = OLD.force_id AND measure = 'closed' AND month = OLD.closed_month
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.outcome_code, '') || '|' || COALESCE(OLD.risk_level, '');
    UPDATE figure_months SET n = n - 1
        WHERE OLD.assessed_at IS NOT NULL AND force_id = OLD.force_id AND measure = 'triaged' AND month = OLD.assessed_month
          AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || OLD.triage_step;
END;

-- Open referrals as at a past month's end, by age: read from the referrals by time received.
CREATE INDEX referrals_received ON referrals(force_id, received_at, bcu_id, closed_at, first_enforcement_at, due_at);

-- Clocks stopped in a period: by kind and time taken, and late ones by reason code.
CREATE INDEX clocks_stopped ON clocks(force_id, stopped_at);

-- Risk levels overridden in a period.
CREATE INDEX assessments_overridden ON assessments(decided_at) WHERE decision = 'overridden';
