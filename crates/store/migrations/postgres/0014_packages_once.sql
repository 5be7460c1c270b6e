-- Each package is stored once per force, by its SHA-256: a package sent again is a duplicate, not a copy.
-- Never edit once shipped (the SQLite and PostgreSQL files are the same).

-- Referrals point at the first stored copy of their package; the later copies and their bytes go.
UPDATE referrals SET package_id = (
    SELECT k2.id FROM packages k1
    JOIN packages k2 ON k2.force_id = k1.force_id AND k2.sha256 = k1.sha256
    WHERE k1.id = referrals.package_id
    ORDER BY k2.imported_at, k2.id LIMIT 1)
WHERE package_id IS NOT NULL;

DELETE FROM package_chunks WHERE package_id IN (
    SELECT k.id FROM packages k WHERE k.sha256 <> '' AND EXISTS (
        SELECT 1 FROM packages o WHERE o.force_id = k.force_id AND o.sha256 = k.sha256
          AND (o.imported_at < k.imported_at OR (o.imported_at = k.imported_at AND o.id < k.id))));

DELETE FROM packages WHERE sha256 <> '' AND EXISTS (
    SELECT 1 FROM packages o WHERE o.force_id = packages.force_id AND o.sha256 = packages.sha256
      AND (o.imported_at < packages.imported_at OR (o.imported_at = packages.imported_at AND o.id < packages.id)));

-- A package being stored has no SHA-256 yet (''): only finished packages are unique.
CREATE UNIQUE INDEX packages_once_per_force ON packages(force_id, sha256) WHERE sha256 <> '';
