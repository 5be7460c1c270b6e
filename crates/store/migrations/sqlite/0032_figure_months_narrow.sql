-- The parts of figure_months a dashboard reads for the first enforcement actions and the risk levels given,
-- without the dimensions it does not need there: a year of figure_months held 184,000 rows at 1,000,000
-- referrals, most of them first enforcement actions split by risk level, on time or not, and time in steps at
-- once, and risk levels split by level and time. Kept from figure_months itself by triggers, so each count here
-- is always the sum of that table's counts it stands for:
--   enforced_met   dim 'level|met'  (1 when on time), the first enforcement actions of figure_months'
--                  'enforced' added up over their time;
--   enforced_step  dim 'step', the same added up over level and on time or not;
--   triaged_step   dim 'step', the risk levels given ('triaged') added up over the level.
CREATE TABLE figure_months_narrow (
    force_id TEXT NOT NULL,
    measure  TEXT NOT NULL,
    month    TEXT NOT NULL,
    bcu_key  TEXT NOT NULL,
    dim      TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, measure, month, bcu_key, dim)
);
INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
    SELECT force_id, 'enforced_met', month, bcu_key, substr(dim, 1, instr(dim, '|') + 1), SUM(n)
    FROM figure_months WHERE measure = 'enforced' GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
    SELECT force_id, 'enforced_step', month, bcu_key, substr(dim, instr(dim, '|') + 3), SUM(n)
    FROM figure_months WHERE measure = 'enforced' GROUP BY 1, 2, 3, 4, 5;
INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
    SELECT force_id, 'triaged_step', month, bcu_key, substr(dim, instr(dim, '|') + 1), SUM(n)
    FROM figure_months WHERE measure = 'triaged' GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER figure_months_narrow_insert AFTER INSERT ON figure_months WHEN NEW.measure IN ('enforced', 'triaged')
BEGIN
    INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, x.measure, NEW.month, NEW.bcu_key, x.dim, NEW.n FROM (
            SELECT 'enforced_met' AS measure, substr(NEW.dim, 1, instr(NEW.dim, '|') + 1) AS dim WHERE NEW.measure = 'enforced'
            UNION ALL SELECT 'enforced_step', substr(NEW.dim, instr(NEW.dim, '|') + 3) WHERE NEW.measure = 'enforced'
            UNION ALL SELECT 'triaged_step', substr(NEW.dim, instr(NEW.dim, '|') + 1) WHERE NEW.measure = 'triaged') AS x
        WHERE true
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER figure_months_narrow_update AFTER UPDATE ON figure_months
    WHEN OLD.measure IN ('enforced', 'triaged') OR NEW.measure IN ('enforced', 'triaged')
BEGIN
    -- A count changed in place (the usual case) changes these by the difference; anything else takes the old
    -- count away and adds the new.
    INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
        SELECT OLD.force_id, x.measure, OLD.month, OLD.bcu_key, x.dim, -OLD.n FROM (
            SELECT 'enforced_met' AS measure, substr(OLD.dim, 1, instr(OLD.dim, '|') + 1) AS dim WHERE OLD.measure = 'enforced'
            UNION ALL SELECT 'enforced_step', substr(OLD.dim, instr(OLD.dim, '|') + 3) WHERE OLD.measure = 'enforced'
            UNION ALL SELECT 'triaged_step', substr(OLD.dim, instr(OLD.dim, '|') + 1) WHERE OLD.measure = 'triaged') AS x
        WHERE OLD.force_id IS NOT NEW.force_id OR OLD.measure IS NOT NEW.measure OR OLD.month IS NOT NEW.month
           OR OLD.bcu_key IS NOT NEW.bcu_key OR OLD.dim IS NOT NEW.dim
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + excluded.n;
    INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
        SELECT NEW.force_id, x.measure, NEW.month, NEW.bcu_key, x.dim,
               NEW.n - CASE WHEN OLD.force_id IS NOT NEW.force_id OR OLD.measure IS NOT NEW.measure OR OLD.month IS NOT NEW.month
                                 OR OLD.bcu_key IS NOT NEW.bcu_key OR OLD.dim IS NOT NEW.dim THEN 0 ELSE OLD.n END
        FROM (
            SELECT 'enforced_met' AS measure, substr(NEW.dim, 1, instr(NEW.dim, '|') + 1) AS dim WHERE NEW.measure = 'enforced'
            UNION ALL SELECT 'enforced_step', substr(NEW.dim, instr(NEW.dim, '|') + 3) WHERE NEW.measure = 'enforced'
            UNION ALL SELECT 'triaged_step', substr(NEW.dim, instr(NEW.dim, '|') + 1) WHERE NEW.measure = 'triaged') AS x
        WHERE true
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER figure_months_narrow_delete AFTER DELETE ON figure_months WHEN OLD.measure IN ('enforced', 'triaged')
BEGIN
    INSERT INTO figure_months_narrow (force_id, measure, month, bcu_key, dim, n)
        SELECT OLD.force_id, x.measure, OLD.month, OLD.bcu_key, x.dim, -OLD.n FROM (
            SELECT 'enforced_met' AS measure, substr(OLD.dim, 1, instr(OLD.dim, '|') + 1) AS dim WHERE OLD.measure = 'enforced'
            UNION ALL SELECT 'enforced_step', substr(OLD.dim, instr(OLD.dim, '|') + 3) WHERE OLD.measure = 'enforced'
            UNION ALL SELECT 'triaged_step', substr(OLD.dim, instr(OLD.dim, '|') + 1) WHERE OLD.measure = 'triaged') AS x
        WHERE true
        ON CONFLICT (force_id, measure, month, bcu_key, dim) DO UPDATE SET n = n + excluded.n;
END;
