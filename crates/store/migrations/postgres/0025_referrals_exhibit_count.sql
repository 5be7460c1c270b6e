-- The calibration table's category A share counts the referrals closed in a period that had exhibits (see the
-- SQLite migration of the same number): each referral keeps how many exhibits it has, kept by the trigger below,
-- and the closed ones with any are found through a partial index on when they closed.
ALTER TABLE referrals ADD COLUMN exhibit_count BIGINT NOT NULL DEFAULT 0;
UPDATE referrals SET exhibit_count = c.n
    FROM (SELECT referral_id, COUNT(*) AS n FROM exhibits GROUP BY referral_id) c WHERE c.referral_id = referrals.id;
CREATE INDEX referrals_closed_with_exhibits ON referrals(force_id, closed_at) WHERE exhibit_count > 0;

CREATE FUNCTION exhibit_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE referrals SET exhibit_count = exhibit_count - 1 WHERE id = OLD.referral_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE referrals SET exhibit_count = exhibit_count + 1 WHERE id = NEW.referral_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER exhibit_count_insert_delete AFTER INSERT OR DELETE ON exhibits
    FOR EACH ROW EXECUTE FUNCTION exhibit_count_track();
CREATE TRIGGER exhibit_count_moved AFTER UPDATE OF referral_id ON exhibits
    FOR EACH ROW WHEN (OLD.referral_id IS DISTINCT FROM NEW.referral_id)
    EXECUTE FUNCTION exhibit_count_track();
