-- The figures count stopped clocks with the forensic step each one measures (`clocks_stopped_between`): a join on
-- forensic_steps.clock_id, which without this index SQLite answers by reading every forensic step for every clock
-- (87 s for a 12-month period at 100,000 referrals).
CREATE INDEX forensic_steps_by_clock ON forensic_steps(clock_id);

-- The quality figures ask, for each graded review, whether it was referred back.
CREATE INDEX remedial_actions_by_review ON remedial_actions(review_id);
