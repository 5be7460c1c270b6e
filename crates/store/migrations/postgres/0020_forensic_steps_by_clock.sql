-- The forensic step each clock measures, for the figures' stopped clocks (see the SQLite migration of the same
-- number).
CREATE INDEX forensic_steps_by_clock ON forensic_steps(clock_id);
