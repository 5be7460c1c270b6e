-- The referral counts of figure_months, a London day at a time (see the SQLite migration of the same number),
-- kept the same way.
CREATE TABLE figure_days (
    force_id TEXT NOT NULL,
    measure  TEXT NOT NULL,
    day      TEXT NOT NULL,
    bcu_key  TEXT NOT NULL,
    dim      TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, measure, day, bcu_key, dim)
);
INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
    SELECT r.force_id, 'received', safeguard_london_day(r.received_at), COALESCE(r.bcu_id, ''), r.source || '|' || COALESCE(r.risk_level, '') || '|' || (CASE WHEN r.escalated THEN 1 ELSE 0 END), COUNT(*) FROM referrals r WHERE TRUE
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
    SELECT r.force_id, 'enforced', safeguard_london_day(r.first_enforcement_at), COALESCE(r.bcu_id, ''), COALESCE(r.risk_level, '') || '|' || (CASE WHEN r.first_enforcement_at <= r.due_at THEN 1 ELSE 0 END) || '|' || safeguard_minutes_step(r.first_enforcement_at - r.received_at), COUNT(*) FROM referrals r WHERE r.first_enforcement_at IS NOT NULL AND r.clock <> 'triage'
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
    SELECT r.force_id, 'closed', safeguard_london_day(r.closed_at), COALESCE(r.bcu_id, ''), COALESCE(r.outcome_code, '') || '|' || COALESCE(r.risk_level, ''), COUNT(*) FROM referrals r WHERE r.status = 'closed' AND r.closed_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
    SELECT r.force_id, 'triaged', safeguard_london_day(r.assessed_at), COALESCE(r.bcu_id, ''), COALESCE(r.risk_level, '') || '|' || safeguard_minutes_step(r.assessed_at - r.received_at), COUNT(*) FROM referrals r WHERE r.assessed_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION figure_days_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TRUE THEN
            UPDATE figure_days SET n = n - 1
                WHERE force_id = OLD.force_id AND measure = 'received' AND day = safeguard_london_day(OLD.received_at)
                  AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = OLD.source || '|' || COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.escalated THEN 1 ELSE 0 END);
        END IF;
        IF OLD.first_enforcement_at IS NOT NULL AND OLD.clock <> 'triage' THEN
            UPDATE figure_days SET n = n - 1
                WHERE force_id = OLD.force_id AND measure = 'enforced' AND day = safeguard_london_day(OLD.first_enforcement_at)
                  AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || (CASE WHEN OLD.first_enforcement_at <= OLD.due_at THEN 1 ELSE 0 END) || '|' || safeguard_minutes_step(OLD.first_enforcement_at - OLD.received_at);
        END IF;
        IF OLD.status = 'closed' AND OLD.closed_at IS NOT NULL THEN
            UPDATE figure_days SET n = n - 1
                WHERE force_id = OLD.force_id AND measure = 'closed' AND day = safeguard_london_day(OLD.closed_at)
                  AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.outcome_code, '') || '|' || COALESCE(OLD.risk_level, '');
        END IF;
        IF OLD.assessed_at IS NOT NULL THEN
            UPDATE figure_days SET n = n - 1
                WHERE force_id = OLD.force_id AND measure = 'triaged' AND day = safeguard_london_day(OLD.assessed_at)
                  AND bcu_key = COALESCE(OLD.bcu_id, '') AND dim = COALESCE(OLD.risk_level, '') || '|' || safeguard_minutes_step(OLD.assessed_at - OLD.received_at);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF TRUE THEN
            INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
                VALUES (NEW.force_id, 'received', safeguard_london_day(NEW.received_at), COALESCE(NEW.bcu_id, ''), NEW.source || '|' || COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.escalated THEN 1 ELSE 0 END), 1)
                ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = figure_days.n + 1;
        END IF;
        IF NEW.first_enforcement_at IS NOT NULL AND NEW.clock <> 'triage' THEN
            INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
                VALUES (NEW.force_id, 'enforced', safeguard_london_day(NEW.first_enforcement_at), COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || (CASE WHEN NEW.first_enforcement_at <= NEW.due_at THEN 1 ELSE 0 END) || '|' || safeguard_minutes_step(NEW.first_enforcement_at - NEW.received_at), 1)
                ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = figure_days.n + 1;
        END IF;
        IF NEW.status = 'closed' AND NEW.closed_at IS NOT NULL THEN
            INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
                VALUES (NEW.force_id, 'closed', safeguard_london_day(NEW.closed_at), COALESCE(NEW.bcu_id, ''), COALESCE(NEW.outcome_code, '') || '|' || COALESCE(NEW.risk_level, ''), 1)
                ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = figure_days.n + 1;
        END IF;
        IF NEW.assessed_at IS NOT NULL THEN
            INSERT INTO figure_days (force_id, measure, day, bcu_key, dim, n)
                VALUES (NEW.force_id, 'triaged', safeguard_london_day(NEW.assessed_at), COALESCE(NEW.bcu_id, ''), COALESCE(NEW.risk_level, '') || '|' || safeguard_minutes_step(NEW.assessed_at - NEW.received_at), 1)
                ON CONFLICT (force_id, measure, day, bcu_key, dim) DO UPDATE SET n = figure_days.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER figure_days_insert_delete AFTER INSERT OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION figure_days_track();
CREATE TRIGGER figure_days_update AFTER UPDATE OF force_id, bcu_id, received_at, source, risk_level, escalated, first_enforcement_at, clock, due_at, status, closed_at, outcome_code, assessed_at ON referrals
    FOR EACH ROW
    WHEN (OLD.force_id IS DISTINCT FROM NEW.force_id OR OLD.bcu_id IS DISTINCT FROM NEW.bcu_id OR OLD.received_at IS DISTINCT FROM NEW.received_at OR OLD.source IS DISTINCT FROM NEW.source OR OLD.risk_level IS DISTINCT FROM NEW.risk_level OR OLD.escalated IS DISTINCT FROM NEW.escalated OR OLD.first_enforcement_at IS DISTINCT FROM NEW.first_enforcement_at OR OLD.clock IS DISTINCT FROM NEW.clock OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.status IS DISTINCT FROM NEW.status OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.outcome_code IS DISTINCT FROM NEW.outcome_code OR OLD.assessed_at IS DISTINCT FROM NEW.assessed_at)
    EXECUTE FUNCTION figure_days_track();
