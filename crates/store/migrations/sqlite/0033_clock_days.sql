-- Clocks stopped, a London day at a time: the same counts as clock_months (migration 0021), kept the same way by
-- triggers in the same transaction as every change, so that a period of days, or the part of a month at either
-- end of one, is read from kept counts rather than from every clock stopped in those days (245,000 in ten busy
-- days at 1,000,000 referrals, 5 s). A day is a London calendar day, YYYY-MM-DD.
ALTER TABLE clocks ADD COLUMN stopped_day TEXT GENERATED ALWAYS AS (CASE WHEN stopped_at IS NULL THEN NULL ELSE strftime('%Y-%m-%d', stopped_at / 1000 + CASE WHEN stopped_at / 1000 >= CAST(strftime('%s', date(strftime('%Y', stopped_at / 1000, 'unixepoch') || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER)
        AND stopped_at / 1000 < CAST(strftime('%s', date(strftime('%Y', stopped_at / 1000, 'unixepoch') || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00') AS INTEGER) THEN 3600 ELSE 0 END, 'unixepoch') END) VIRTUAL;

CREATE TABLE clock_days (
    force_id  TEXT NOT NULL,
    day       TEXT NOT NULL,   -- YYYY-MM-DD, London
    bcu_key   TEXT NOT NULL,   -- '' for the central queue
    kind      TEXT NOT NULL,   -- the clock's kind; forensic:<step>
    late_code TEXT NOT NULL,   -- '' when stopped on time
    step      BIGINT NOT NULL, -- minutes from start to stop, in steps
    n         BIGINT NOT NULL,
    PRIMARY KEY (force_id, day, bcu_key, kind, late_code, step)
);
INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
    SELECT c.force_id, c.stopped_day, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, COUNT(*)
    FROM clocks c WHERE c.ended = 'stopped'
    GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER clock_days_insert AFTER INSERT ON clocks WHEN NEW.ended = 'stopped'
BEGIN
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT NEW.force_id, NEW.stopped_day, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = NEW.referral_id), ''), CASE WHEN NEW.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = NEW.id), '') ELSE NEW.kind END, COALESCE(NEW.late_code, ''), NEW.stop_step, +1 WHERE NEW.ended = 'stopped'
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER clock_days_update AFTER UPDATE OF force_id, referral_id, kind, started_at, stopped_at, ended, late_code ON clocks
    WHEN OLD.ended = 'stopped' OR NEW.ended = 'stopped'
BEGIN
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT OLD.force_id, OLD.stopped_day, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = OLD.referral_id), ''), CASE WHEN OLD.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = OLD.id), '') ELSE OLD.kind END, COALESCE(OLD.late_code, ''), OLD.stop_step, -1 WHERE OLD.ended = 'stopped'
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT NEW.force_id, NEW.stopped_day, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = NEW.referral_id), ''), CASE WHEN NEW.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = NEW.id), '') ELSE NEW.kind END, COALESCE(NEW.late_code, ''), NEW.stop_step, +1 WHERE NEW.ended = 'stopped'
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER clock_days_delete AFTER DELETE ON clocks WHEN OLD.ended = 'stopped'
BEGIN
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT OLD.force_id, OLD.stopped_day, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = OLD.referral_id), ''), CASE WHEN OLD.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = OLD.id), '') ELSE OLD.kind END, COALESCE(OLD.late_code, ''), OLD.stop_step, -1 WHERE OLD.ended = 'stopped'
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;

-- A referral moved to another BCU takes its stopped clocks with it.
CREATE TRIGGER clock_days_referral_moved AFTER UPDATE OF bcu_id ON referrals WHEN OLD.bcu_id IS NOT NEW.bcu_id
BEGIN
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_day, COALESCE(OLD.bcu_id, ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, -COUNT(*)
        FROM clocks c WHERE c.referral_id = NEW.id AND c.ended = 'stopped' GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_day, COALESCE(NEW.bcu_id, ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, COUNT(*)
        FROM clocks c WHERE c.referral_id = NEW.id AND c.ended = 'stopped' GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;

-- A step added to (or taken from) a stopped forensic clock changes the kind it counts under.
CREATE TRIGGER clock_days_step_added AFTER INSERT ON forensic_steps
BEGIN
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_day, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id AND f.id <> NEW.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, -1
        FROM clocks c WHERE c.id = NEW.clock_id AND c.ended = 'stopped'
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_day, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, 1
        FROM clocks c WHERE c.id = NEW.clock_id AND c.ended = 'stopped'
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER clock_days_step_taken AFTER DELETE ON forensic_steps
BEGIN
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_day, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''),
               CASE WHEN c.kind = 'forensic' THEN 'forensic:' || min(OLD.step, COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), OLD.step)) ELSE c.kind END,
               COALESCE(c.late_code, ''), c.stop_step, -1
        FROM clocks c WHERE c.id = OLD.clock_id AND c.ended = 'stopped'
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, c.stopped_day, COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = c.referral_id), ''), CASE WHEN c.kind = 'forensic' THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '') ELSE c.kind END, COALESCE(c.late_code, ''), c.stop_step, 1
        FROM clocks c WHERE c.id = OLD.clock_id AND c.ended = 'stopped'
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
