-- The parts of figure_months a dashboard reads for the first enforcement actions and the risk levels given,
-- without the dimensions it does not need there (see the SQLite migration of the same number): kept from
-- figure_months itself by a trigger, so each count is always the sum of that table's counts it stands for.
CREATE TABLE figure_months_narrow (
    force_id TEXT NOT NULL,
    measure  TEXT NOT NULL,
    month    TEXT NOT NULL,
    bcu_key  TEXT NOT NULL,
    dim      TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, measure, month, bcu_key, dim)
);

-- The narrow counts a count of figure_months stands for, as (measure, dim).
CREATE FUNCTION safeguard_narrowed(of_measure TEXT, of_dim TEXT) RETURNS TABLE (measure TEXT, dim TEXT)
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'enforced_met', substr($2, 1, strpos($2, '|') + 1) WHERE $1 = 'enforced'
    UNION ALL SELECT 'enforced_step', substr($2, strpos($2, '|') + 3) WHERE $1 = 'enforced'
    UNION ALL SELECT 'triaged_step', substr($2, strpos($2, '|') + 1) WHERE $1 = 'triaged'
$$;

INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
    SELECT m.force_id, x.measure, m.month, m.bcu_key, x.dim, SUM(m.n)
    FROM figure_months m, safeguard_narrowed(m.measure, m.dim) x
    WHERE m.measure IN ('enforced', 'triaged')
    GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION figure_months_narrow_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.force_id, OLD.measure, OLD.month, OLD.bcu_key, OLD.dim)
                            = (NEW.force_id, NEW.measure, NEW.month, NEW.bcu_key, NEW.dim) THEN
        -- A count changed in place (the usual case) changes these by the difference.
        IF NEW.n <> OLD.n THEN
            INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
                SELECT NEW.force_id, x.measure, NEW.month, NEW.bcu_key, x.dim, NEW.n - OLD.n
                FROM safeguard_narrowed(NEW.measure, NEW.dim) x
                ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = figure_months_narrow.n + excluded.n;
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
            SELECT OLD.force_id, x.measure, OLD.month, OLD.bcu_key, x.dim, -OLD.n
            FROM safeguard_narrowed(OLD.measure, OLD.dim) x
            ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = figure_months_narrow.n + excluded.n;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
            SELECT NEW.force_id, x.measure, NEW.month, NEW.bcu_key, x.dim, NEW.n
            FROM safeguard_narrowed(NEW.measure, NEW.dim) x
            ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = figure_months_narrow.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER figure_months_narrow_track AFTER INSERT OR UPDATE OR DELETE ON figure_months
    FOR EACH ROW EXECUTE FUNCTION figure_months_narrow_track();
