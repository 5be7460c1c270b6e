-- The stopped clocks of the whole force, a London month at a time, without the BCU: the force's dashboard shows
-- the clocks of all its BCUs together, and reading them from clock_months meant reading a row for every BCU of
-- every step (264,000 rows for a year at 1,000,000 referrals). Kept from clock_months itself by triggers, so each
-- count here is always the sum of that table's counts over the BCUs, whatever changes it (a clock stopped, its
-- forensic step, its referral moving BCU).
CREATE TABLE clock_force_months (
    force_id  TEXT NOT NULL,
    month     TEXT NOT NULL,   -- YYYY-MM, London
    kind      TEXT NOT NULL,   -- the clock's kind; forensic:<step>
    late_code TEXT NOT NULL,   -- '' when stopped on time
    step      BIGINT NOT NULL, -- minutes from start to stop, in steps
    n         BIGINT NOT NULL,
    PRIMARY KEY (force_id, month, kind, late_code, step)
);
INSERT INTO clock_force_months (force_id, month, kind, late_code, step, n)
    SELECT force_id, month, kind, late_code, step, SUM(n) FROM clock_months GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER clock_force_months_insert AFTER INSERT ON clock_months
BEGIN
    INSERT INTO clock_force_months (force_id, month, kind, late_code, step, n)
        VALUES (NEW.force_id, NEW.month, NEW.kind, NEW.late_code, NEW.step, NEW.n)
        ON CONFLICT (force_id, month, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER clock_force_months_update AFTER UPDATE ON clock_months
BEGIN
    INSERT INTO clock_force_months (force_id, month, kind, late_code, step, n)
        SELECT OLD.force_id, OLD.month, OLD.kind, OLD.late_code, OLD.step, -OLD.n
        WHERE OLD.force_id IS NOT NEW.force_id OR OLD.month IS NOT NEW.month OR OLD.kind IS NOT NEW.kind
           OR OLD.late_code IS NOT NEW.late_code OR OLD.step IS NOT NEW.step
        ON CONFLICT (force_id, month, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
    INSERT INTO clock_force_months (force_id, month, kind, late_code, step, n)
        SELECT NEW.force_id, NEW.month, NEW.kind, NEW.late_code, NEW.step,
               NEW.n - CASE WHEN OLD.force_id IS NOT NEW.force_id OR OLD.month IS NOT NEW.month OR OLD.kind IS NOT NEW.kind
                                 OR OLD.late_code IS NOT NEW.late_code OR OLD.step IS NOT NEW.step THEN 0 ELSE OLD.n END
        WHERE true
        ON CONFLICT (force_id, month, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER clock_force_months_delete AFTER DELETE ON clock_months
BEGIN
    INSERT INTO clock_force_months (force_id, month, kind, late_code, step, n)
        VALUES (OLD.force_id, OLD.month, OLD.kind, OLD.late_code, OLD.step, -OLD.n)
        ON CONFLICT (force_id, month, kind, late_code, step) DO UPDATE SET n = n + excluded.n;
END;

-- A BCU's dashboard reads its own BCU's clocks: a range of this index rather than every BCU's rows.
CREATE INDEX clock_months_by_bcu ON clock_months(force_id, bcu_key, month, kind, late_code, step, n);
