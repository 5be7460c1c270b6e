-- Risk levels overridden by month (see the SQLite migration of the same number).
CREATE TABLE override_months (
    force_id TEXT NOT NULL,
    month    TEXT NOT NULL,
    bcu_key  TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, month, bcu_key)
);
INSERT INTO override_months (force_id, month, bcu_key, n)
    SELECT r.force_id, safeguard_london_month(a.decided_at), COALESCE(r.bcu_id, ''), COUNT(*)
    FROM assessments a JOIN referrals r ON r.id = a.referral_id
    WHERE a.decision = 'overridden' AND a.decided_at IS NOT NULL
    GROUP BY 1, 2, 3;

CREATE FUNCTION override_months_put(referral_id TEXT, decision TEXT, decided_at BIGINT, delta BIGINT)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO override_months (force_id, month, bcu_key, n)
        SELECT r.force_id, safeguard_london_month($3), COALESCE(r.bcu_id, ''), $4 FROM referrals r
        WHERE r.id = $1 AND $2 = 'overridden' AND $3 IS NOT NULL
        ON CONFLICT (force_id, month, bcu_key) DO UPDATE SET n = override_months.n + excluded.n
$$;

CREATE FUNCTION override_months_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM override_months_put(OLD.referral_id, OLD.decision, OLD.decided_at, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM override_months_put(NEW.referral_id, NEW.decision, NEW.decided_at, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER override_months_insert_delete AFTER INSERT OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION override_months_track();
CREATE TRIGGER override_months_update AFTER UPDATE OF referral_id, decision, decided_at ON assessments
    FOR EACH ROW EXECUTE FUNCTION override_months_track();

-- A referral moved to another BCU takes its overrides with it.
CREATE FUNCTION override_months_referral_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO override_months (force_id, month, bcu_key, n)
        SELECT NEW.force_id, safeguard_london_month(a.decided_at), COALESCE(OLD.bcu_id, ''), -COUNT(*)
        FROM assessments a WHERE a.referral_id = NEW.id AND a.decision = 'overridden' AND a.decided_at IS NOT NULL
        GROUP BY 1, 2, 3
        ON CONFLICT (force_id, month, bcu_key) DO UPDATE SET n = override_months.n + excluded.n;
    INSERT INTO override_months (force_id, month, bcu_key, n)
        SELECT NEW.force_id, safeguard_london_month(a.decided_at), COALESCE(NEW.bcu_id, ''), COUNT(*)
        FROM assessments a WHERE a.referral_id = NEW.id AND a.decision = 'overridden' AND a.decided_at IS NOT NULL
        GROUP BY 1, 2, 3
        ON CONFLICT (force_id, month, bcu_key) DO UPDATE SET n = override_months.n + excluded.n;
    RETURN NULL;
END
$$;
CREATE TRIGGER override_months_referral_moved AFTER UPDATE OF bcu_id ON referrals
    FOR EACH ROW WHEN (OLD.bcu_id IS DISTINCT FROM NEW.bcu_id)
    EXECUTE FUNCTION override_months_referral_moved();
