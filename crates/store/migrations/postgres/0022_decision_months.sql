-- No-further-action proposals, approvals and returns by month (see the SQLite migration of the same number).
CREATE TABLE decision_months (
    force_id TEXT NOT NULL,
    month    TEXT NOT NULL,
    bcu_key  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, month, bcu_key, kind)
);
INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
    SELECT d.force_id, safeguard_london_month(d.at), COALESCE(r.bcu_id, ''), d.kind, COUNT(*)
    FROM outcome_decisions d JOIN referrals r ON r.id = d.referral_id
    WHERE d.kind IN ('proposed', 'approved', 'returned')
    GROUP BY 1, 2, 3, 4;

CREATE FUNCTION decision_months_put(force_id TEXT, referral_id TEXT, kind TEXT, at BIGINT, delta BIGINT)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
        SELECT $1, safeguard_london_month($4), COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = $2), ''), $3, $5
        WHERE $3 IN ('proposed', 'approved', 'returned')
        ON CONFLICT (force_id, month, bcu_key, kind) DO UPDATE SET n = decision_months.n + excluded.n
$$;

CREATE FUNCTION decision_months_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM decision_months_put(OLD.force_id, OLD.referral_id, OLD.kind, OLD.at, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM decision_months_put(NEW.force_id, NEW.referral_id, NEW.kind, NEW.at, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER decision_months_insert_delete AFTER INSERT OR DELETE ON outcome_decisions
    FOR EACH ROW EXECUTE FUNCTION decision_months_track();
CREATE TRIGGER decision_months_update AFTER UPDATE OF force_id, referral_id, kind, at ON outcome_decisions
    FOR EACH ROW EXECUTE FUNCTION decision_months_track();

-- A referral moved to another BCU takes its decisions with it.
CREATE FUNCTION decision_months_referral_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
        SELECT d.force_id, safeguard_london_month(d.at), COALESCE(OLD.bcu_id, ''), d.kind, -COUNT(*)
        FROM outcome_decisions d WHERE d.referral_id = NEW.id AND d.kind IN ('proposed', 'approved', 'returned')
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (force_id, month, bcu_key, kind) DO UPDATE SET n = decision_months.n + excluded.n;
    INSERT INTO decision_months (force_id, month, bcu_key, kind, n)
        SELECT d.force_id, safeguard_london_month(d.at), COALESCE(NEW.bcu_id, ''), d.kind, COUNT(*)
        FROM outcome_decisions d WHERE d.referral_id = NEW.id AND d.kind IN ('proposed', 'approved', 'returned')
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (force_id, month, bcu_key, kind) DO UPDATE SET n = decision_months.n + excluded.n;
    RETURN NULL;
END
$$;
CREATE TRIGGER decision_months_referral_moved AFTER UPDATE OF bcu_id ON referrals
    FOR EACH ROW WHEN (OLD.bcu_id IS DISTINCT FROM NEW.bcu_id)
    EXECUTE FUNCTION decision_months_referral_moved();
