-- The figures count the children referred to the Child House in a period: a range of this index, rather than
-- every child the force has referred.
CREATE INDEX child_house_by_force_referred ON child_house_referrals(force_id, referred_at);
