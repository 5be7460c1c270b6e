-- Clocks stopped, a London day at a time (see the SQLite migration of the same number): the same counts as
-- clock_months, kept the same way.
CREATE FUNCTION safeguard_london_day(at_ms BIGINT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT to_char(to_timestamp(at_ms / 1000) AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')
$$;

CREATE TABLE clock_days (
    force_id  TEXT NOT NULL,
    day       TEXT NOT NULL,
    bcu_key   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    late_code TEXT NOT NULL,
    step      BIGINT NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (force_id, day, bcu_key, kind, late_code, step)
);

-- Add `delta` to the count of a stopped clock, given what it counts under.
CREATE FUNCTION clock_days_put(force_id TEXT, referral_id TEXT, kind TEXT, started_at BIGINT, stopped_at BIGINT,
                                 late_code TEXT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        VALUES ($1, safeguard_london_day($5), COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = $2), ''), $3,
                COALESCE($6, ''), safeguard_minutes_step($5 - $4), $7)
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = clock_days.n + excluded.n
$$;

INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
    SELECT c.force_id, safeguard_london_day(c.stopped_at), COALESCE(r.bcu_id, ''), safeguard_clock_kind(c.id, c.kind),
           COALESCE(c.late_code, ''), safeguard_minutes_step(c.stopped_at - c.started_at), COUNT(*)
    FROM clocks c JOIN referrals r ON r.id = c.referral_id WHERE c.ended = 'stopped'
    GROUP BY 1, 2, 3, 4, 5, 6;

CREATE FUNCTION clock_days_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.ended = 'stopped' THEN
        PERFORM clock_days_put(OLD.force_id, OLD.referral_id, safeguard_clock_kind(OLD.id, OLD.kind), OLD.started_at,
                                 OLD.stopped_at, OLD.late_code, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.ended = 'stopped' THEN
        PERFORM clock_days_put(NEW.force_id, NEW.referral_id, safeguard_clock_kind(NEW.id, NEW.kind), NEW.started_at,
                                 NEW.stopped_at, NEW.late_code, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER clock_days_insert_delete AFTER INSERT OR DELETE ON clocks
    FOR EACH ROW EXECUTE FUNCTION clock_days_track();
CREATE TRIGGER clock_days_update AFTER UPDATE OF force_id, referral_id, kind, started_at, stopped_at, ended, late_code ON clocks
    FOR EACH ROW WHEN (OLD.ended = 'stopped' OR NEW.ended = 'stopped')
    EXECUTE FUNCTION clock_days_track();

-- A referral moved to another BCU takes its stopped clocks with it.
CREATE FUNCTION clock_days_referral_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, safeguard_london_day(c.stopped_at), COALESCE(OLD.bcu_id, ''), safeguard_clock_kind(c.id, c.kind),
               COALESCE(c.late_code, ''), safeguard_minutes_step(c.stopped_at - c.started_at), -COUNT(*)
        FROM clocks c WHERE c.referral_id = NEW.id AND c.ended = 'stopped' GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = clock_days.n + excluded.n;
    INSERT INTO clock_days (force_id, day, bcu_key, kind, late_code, step, n)
        SELECT c.force_id, safeguard_london_day(c.stopped_at), COALESCE(NEW.bcu_id, ''), safeguard_clock_kind(c.id, c.kind),
               COALESCE(c.late_code, ''), safeguard_minutes_step(c.stopped_at - c.started_at), COUNT(*)
        FROM clocks c WHERE c.referral_id = NEW.id AND c.ended = 'stopped' GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (force_id, day, bcu_key, kind, late_code, step) DO UPDATE SET n = clock_days.n + excluded.n;
    RETURN NULL;
END
$$;
CREATE TRIGGER clock_days_referral_moved AFTER UPDATE OF bcu_id ON referrals
    FOR EACH ROW WHEN (OLD.bcu_id IS DISTINCT FROM NEW.bcu_id)
    EXECUTE FUNCTION clock_days_referral_moved();

-- A step added to (or taken from) a stopped forensic clock changes the kind it counts under.
CREATE FUNCTION clock_days_step() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c clocks%ROWTYPE;
    before TEXT;
    after TEXT;
BEGIN
    SELECT * INTO c FROM clocks WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.clock_id ELSE OLD.clock_id END;
    IF NOT FOUND OR c.ended IS DISTINCT FROM 'stopped' OR c.kind <> 'forensic' THEN
        RETURN NULL;
    END IF;
    after := safeguard_clock_kind(c.id, c.kind);
    IF TG_OP = 'INSERT' THEN
        before := 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id AND f.id <> NEW.id), '');
    ELSE
        before := 'forensic:' || LEAST(OLD.step, COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), OLD.step));
    END IF;
    IF before <> after THEN
        PERFORM clock_days_put(c.force_id, c.referral_id, before, c.started_at, c.stopped_at, c.late_code, -1);
        PERFORM clock_days_put(c.force_id, c.referral_id, after, c.started_at, c.stopped_at, c.late_code, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER clock_days_step AFTER INSERT OR DELETE ON forensic_steps
    FOR EACH ROW EXECUTE FUNCTION clock_days_step();
