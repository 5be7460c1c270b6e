-- The figures for a period of days count the first enforcement actions and the risk levels given in a part
-- of a month from the referrals themselves (whole months come from figure_months): each is a range of one of
-- these, as the receipts are of referrals_received and the outcomes of referrals_open_as_at.
CREATE INDEX referrals_enforced ON referrals(force_id, first_enforcement_at);
CREATE INDEX referrals_assessed ON referrals(force_id, assessed_at);
