-- A forensic clock counts under its earliest step (`clock_months`, migration 0021): `MIN(step)` of the steps on
-- one clock. With only an index on the clock, PostgreSQL answered it by walking every step in step order and
-- filtering on the clock (1 ms a clock at 5,000 referrals, growing with the steps); with the step in the index
-- it is one index probe on either database.
CREATE INDEX forensic_steps_by_clock_and_step ON forensic_steps(clock_id, step);
DROP INDEX forensic_steps_by_clock;
