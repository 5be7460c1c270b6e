-- The queue, a page at a time, at the cost of the page: its order (open referrals with a running clock first,
-- soonest headline due time first; then open ones with no clock running; then closed ones, each by its due
-- time) is kept in two generated columns, which an index per scope (a BCU, the force) holds in that order, so
-- a page is read by keyset from the index whatever the caseload.
ALTER TABLE referrals ADD COLUMN queue_group INTEGER
    GENERATED ALWAYS AS (CASE WHEN status = 'closed' THEN 2 WHEN headline_due IS NULL THEN 1 ELSE 0 END) VIRTUAL;
ALTER TABLE referrals ADD COLUMN queue_due BIGINT
    GENERATED ALWAYS AS (COALESCE(headline_due, due_at)) VIRTUAL;
CREATE INDEX referrals_bcu_queue ON referrals(force_id, bcu_id, queue_group, queue_due, id);
CREATE INDEX referrals_force_queue ON referrals(force_id, queue_group, queue_due, id);
DROP INDEX referrals_queue;

-- How many referrals each BCU (or the central queue, bcu_key '') holds in each status, kept exact by
-- triggers in the same transaction as every insert, move and change of status, so the queue's counts cost
-- the same at any caseload.
CREATE TABLE referral_counts (
    force_id TEXT NOT NULL,
    bcu_key  TEXT NOT NULL,
    status   TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (force_id, bcu_key, status)
);
INSERT INTO referral_counts (force_id, bcu_key, status, n)
    SELECT force_id, COALESCE(bcu_id, ''), status, COUNT(*) FROM referrals GROUP BY force_id, COALESCE(bcu_id, ''), status;
CREATE TRIGGER referral_counts_insert AFTER INSERT ON referrals
BEGIN
    INSERT INTO referral_counts (force_id, bcu_key, status, n) VALUES (NEW.force_id, COALESCE(NEW.bcu_id, ''), NEW.status, 1)
        ON CONFLICT (force_id, bcu_key, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER referral_counts_update AFTER UPDATE OF force_id, bcu_id, status ON referrals
    WHEN OLD.force_id IS NOT NEW.force_id OR OLD.bcu_id IS NOT NEW.bcu_id OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE referral_counts SET n = n - 1
        WHERE force_id = OLD.force_id AND bcu_key = COALESCE(OLD.bcu_id, '') AND status = OLD.status;
    INSERT INTO referral_counts (force_id, bcu_key, status, n) VALUES (NEW.force_id, COALESCE(NEW.bcu_id, ''), NEW.status, 1)
        ON CONFLICT (force_id, bcu_key, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER referral_counts_delete AFTER DELETE ON referrals
BEGIN
    UPDATE referral_counts SET n = n - 1
        WHERE force_id = OLD.force_id AND bcu_key = COALESCE(OLD.bcu_id, '') AND status = OLD.status;
END;
