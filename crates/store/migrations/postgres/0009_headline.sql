-- The referral's headline due time: the soonest due time among its running clocks (the triage or enforcement
-- clock on the referral row while it runs, and every running, unpaused clock beside it), with that clock's kind.
-- It orders the queue. The store keeps it in step with every change to a clock, in the change's transaction.
ALTER TABLE referrals ADD COLUMN headline_due BIGINT;
ALTER TABLE referrals ADD COLUMN headline_kind TEXT;

UPDATE referrals SET
    headline_due = (SELECT MIN(h.d) FROM (
        SELECT CASE WHEN referrals.first_enforcement_at IS NULL AND referrals.status <> 'closed'
                    THEN referrals.due_at END AS d
        UNION ALL
        SELECT CAST(c.base_due + COALESCE((SELECT SUM(p.to_at - p.from_at) FROM clock_pauses p
                                            WHERE p.clock_id = c.id AND p.to_at IS NOT NULL), 0) AS BIGINT)
        FROM clocks c
        WHERE c.referral_id = referrals.id AND c.ended IS NULL
          AND NOT EXISTS (SELECT 1 FROM clock_pauses p WHERE p.clock_id = c.id AND p.to_at IS NULL)) h),
    headline_kind = (SELECT h.k FROM (
        SELECT CASE WHEN referrals.first_enforcement_at IS NULL AND referrals.status <> 'closed'
                    THEN referrals.due_at END AS d,
               CASE WHEN referrals.clock = 'triage' THEN 'triage' ELSE 'enforcement' END AS k
        UNION ALL
        SELECT CAST(c.base_due + COALESCE((SELECT SUM(p.to_at - p.from_at) FROM clock_pauses p
                                            WHERE p.clock_id = c.id AND p.to_at IS NOT NULL), 0) AS BIGINT),
               c.kind
        FROM clocks c
        WHERE c.referral_id = referrals.id AND c.ended IS NULL
          AND NOT EXISTS (SELECT 1 FROM clock_pauses p WHERE p.clock_id = c.id AND p.to_at IS NULL)) h
        WHERE h.d IS NOT NULL ORDER BY h.d, h.k LIMIT 1);

CREATE INDEX referrals_headline ON referrals(force_id, headline_due, id);
