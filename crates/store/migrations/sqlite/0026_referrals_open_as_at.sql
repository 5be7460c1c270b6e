-- The referrals open at a moment (the backlog by age and the overdue, as at a period's end) are those not yet
-- closed and those closed after it: two ranges of this index, which holds every column the count needs, rather
-- than every referral received before the moment.
CREATE INDEX referrals_open_as_at ON referrals(force_id, closed_at, received_at, bcu_id, first_enforcement_at, due_at);
