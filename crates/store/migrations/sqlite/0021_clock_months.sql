-- Clocks stopped, a London month at a time, kept exact by triggers in the same transaction as every change, so
-- a year's safeguarding referral times, reviews, plan actions, forensic turnaround and late reasons are read from
-- a few thousand rows rather than every clock of the year (see migration 0018 for the months and the steps).
--
-- A clock counts once when it has ended 'stopped': in the month of its stop, under its referral's BCU ('' for the
-- central queue), its kind (a forensic clock as 'forensic:<its step>'), its late reason code ('' when on time),
-- and the time from start to stop in steps. It follows its clock, its referral's BCU and its forensic step as they
-- change. A forensic step's step and clock never change (refused below), so a step only comes and goes.
ALTER TABLE clocks ADD COLUMN stopped_month TEXT GENERATED ALWAYS AS (CASE WHEN stopped_at IS NULL THEN NULL ELSE strftime('%Y-%m', stopped_at / 1000 + CASE WHEN stopped_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', stopped_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND stopped_at / 1000 < CAST(strftime('%s', date(strftime('%Y', stopped_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;
ALTER TABLE clocks ADD COLUMN stop_step BIGINT GENERATED ALWAYS AS (CASE WHEN stopped_at IS NULL THEN NULL WHEN max(0, (stopped_at - started_at) / 60000) < 120 THEN max(0, (stopped_at - started_at) / 60000) / 5 * 5 WHEN max(0, (stopped_at - started_at) / 60000) < 1440 THEN max(0, (stopped_at - started_at) / 60000) / 15 * 15
        WHEN max(0, (stopped_at - started_at) / 60000) < 10080 THEN max(0, (stopped_at - started_at) / 60000) / 60 * 60 ELSE max(0, (stopped_at - started_at) / 60000) / 1440 * 1440 END) VIRTUAL;

CREATE TABLE clock_months (
    force_id  TEXT NOT NULL,
    month     TEXT NOT NULL,   -- YYYY-MM, London
    bcu_key   TEXT NOT NULL,   -- '' for the central queue
    kind      TEXT NOT NULL,   -- the clock's kind; forensic:<step>
    late_code TEXT NOT NULL,   -- '' when stopped on time
    step      BIGINT NOT NULL, -- minutes from start to stop, in steps
    n         BIGINT NOT NULL,
    PRIMARY KEY (force_id, month, bcu_key, kind, late_code, step)
);
INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
    SELECT c.force_id, c.stopped_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, COUNT(*)
    FROM clocks c WHERE c.ended = 'stopped'
    GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER clock_months_insert AFTER INSERT ON clocks WHEN NEW.ended = 'stopped'
BEGIN
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT NEW.force_id, NEW.stopped_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = NEW.referral_id), ''), CASE WHEN NEW.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = NEW.id), '') ELSE NEW.kind END, COALESCE(NEW.late_code, ''), NEW.stop_step, +1 WHERE NEW.ended = 'stopped'
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER clock_months_update AFTER UPDATE OF force_id, referral_id, kind, started_at, stopped_at, ended, late_code ON clocks
    WHEN OLD.ended = 'stopped' OR NEW.ended = 'stopped'
BEGIN
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT OLD.force_id, OLD.stopped_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = OLD.referral_id), ''), CASE WHEN OLD.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = OLD.id), '') ELSE OLD.kind END, COALESCE(OLD.late_code, ''), OLD.stop_step, -1 WHERE OLD.ended = 'stopped'
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT NEW.force_id, NEW.stopped_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = NEW.referral_id), ''), CASE WHEN NEW.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = NEW.id), '') ELSE NEW.kind END, COALESCE(NEW.late_code, ''), NEW.stop_step, +1 WHERE NEW.ended = 'stopped'
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER clock_months_delete AFTER DELETE ON clocks WHEN OLD.ended = 'stopped'
BEGIN
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT OLD.force_id, OLD.stopped_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = OLD.referral_id), ''), CASE WHEN OLD.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = OLD.id), '') ELSE OLD.kind END, COALESCE(OLD.late_code, ''), OLD.stop_step, -1 WHERE OLD.ended = 'stopped'
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;

-- A referral moved to another BCU takes its stopped clocks with it.
CREATE TRIGGER clock_months_referral_moved AFTER UPDATE OF bcu_id ON referrals WHEN OLD.bcu_id IS NOT NEW.bcu_id
BEGIN
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_month, COALESCE(OLD.bcu_id, ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, -COUNT(*)
        FROM clocks c WHERE c.referral_id = NEW.id AND c.ended = 'stopped' GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_month, COALESCE(NEW.bcu_id, ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, COUNT(*)
        FROM clocks c WHERE c.referral_id = NEW.id AND c.ended = 'stopped' GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;

-- A forensic step's step and clock are what it is: never changed.
CREATE TRIGGER forensic_steps_fixed BEFORE UPDATE OF step, clock_id ON forensic_steps
    WHEN OLD.step IS NOT NEW.step OR OLD.clock_id IS NOT NEW.clock_id
BEGIN
    SELECT RAISE(ABORT, 'a forensic step''s step and clock never change');
END;
-- A step added to (or taken from) a stopped forensic clock changes the kind it counts under.
CREATE TRIGGER clock_months_step_added AFTER INSERT ON forensic_steps
BEGIN
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id AND f.id <> NEW.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, -1
        FROM clocks c WHERE c.id = NEW.clock_id AND c.ended = 'stopped'
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, 1
        FROM clocks c WHERE c.id = NEW.clock_id AND c.ended = 'stopped'
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER clock_months_step_taken AFTER DELETE ON forensic_steps
BEGIN
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''),
               CASE WHEN c.kind = 'forensic' THEN 'forensic:' || min(OLD.step, COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), OLD.step)) ELSE c.kind END,
               COALESCE(c.late_code, ''), c.stop_step, -1
        FROM clocks c WHERE c.id = OLD.clock_id AND c.ended = 'stopped'
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
    INSERT INTO clock_months (force_id, month, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_month, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, 1
        FROM clocks c WHERE c.id = OLD.clock_id AND c.ended = 'stopped'
        ON CONFLICT (force_id, month, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
