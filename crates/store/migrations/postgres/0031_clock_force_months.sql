-- The stopped clocks of the whole force, a London month at a time, without the BCU (see the SQLite migration of
-- the same number): kept from clock_months itself by a trigger, so each count is always the sum of that table's
-- counts over the BCUs.
CREATE TABLE clock_force_months (
    force_id  TEXT NOT NULL,
    month     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    late_code TEXT NOT NULL,
    step      BIGINT NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (force_id, month, kind, late_code, step)
);
INSERT INTO clock_force_months (force_id, month, kind, late_code, step, n)
    SELECT force_id, month, kind, late_code, step, SUM(n) FROM clock_months GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION clock_force_months_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A count changed in place (the usual case) changes the force's by the difference.
    IF TG_OP = 'UPDATE' AND (OLD.force_id, OLD.month, OLD.kind, OLD.late_code, OLD.step)
                            = (NEW.force_id, NEW.month, NEW.kind, NEW.late_code, NEW.step) THEN
        IF NEW.n <> OLD.n THEN
            UPDATE clock_force_months SET n = n + (NEW.n - OLD.n)
            WHERE (force_id, month, kind, late_code, step) = (NEW.force_id, NEW.month, NEW.kind, NEW.late_code, NEW.step);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO clock_force_months (force_id, month, kind, late_code, step, n)
            VALUES (OLD.force_id, OLD.month, OLD.kind, OLD.late_code, OLD.step, -OLD.n)
            ON CONFLICT (force_id, month, kind, late_code, step) DO UPDATE SET n = clock_force_months.n + excluded.n;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO clock_force_months (force_id, month, kind, late_code, step, n)
            VALUES (NEW.force_id, NEW.month, NEW.kind, NEW.late_code, NEW.step, NEW.n)
            ON CONFLICT (force_id, month, kind, late_code, step) DO UPDATE SET n = clock_force_months.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER clock_force_months_track AFTER INSERT OR UPDATE OR DELETE ON clock_months
    FOR EACH ROW EXECUTE FUNCTION clock_force_months_track();

-- A BCU's dashboard reads its own BCU's clocks: a range of this index rather than every BCU's rows.
CREATE INDEX clock_months_by_bcu ON clock_months(force_id, bcu_key, month) INCLUDE (kind, late_code, step, n);
