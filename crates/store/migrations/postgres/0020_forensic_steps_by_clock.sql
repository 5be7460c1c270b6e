-- The forensic step each clock measures, for the figures' stopped clocks (see the SQLite migration of the same
-- number).
CREATE INDEX forensic_steps_by_clock ON forensic_steps(clock_id);

-- The quality figures ask, for each graded review, whether it was referred back.
CREATE INDEX remedial_actions_by_review ON remedial_actions(review_id);
