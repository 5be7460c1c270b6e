-- Governance changes, board snapshots and staff numbers (see the SQLite migration of the same number).
CREATE TABLE governance_events (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    force_id  TEXT NOT NULL REFERENCES forces(id),
    at        BIGINT NOT NULL,
    by_user   TEXT REFERENCES users(id),
    by_name   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    subject   TEXT NOT NULL,
    change    TEXT NOT NULL
);
CREATE INDEX governance_events_by_force ON governance_events(force_id, seq);

CREATE TABLE board_snapshots (
    id         TEXT PRIMARY KEY,
    force_id   TEXT NOT NULL REFERENCES forces(id),
    meeting    TEXT NOT NULL,
    frozen_at  BIGINT NOT NULL,
    frozen_by  TEXT REFERENCES users(id),
    content    TEXT NOT NULL,
    sha256     TEXT NOT NULL
);
CREATE UNIQUE INDEX board_snapshots_once ON board_snapshots(force_id, meeting);

CREATE FUNCTION safeguard_never_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER governance_events_never_changed BEFORE UPDATE OR DELETE ON governance_events
    FOR EACH ROW EXECUTE FUNCTION safeguard_never_changed();
CREATE TRIGGER board_snapshots_never_changed BEFORE UPDATE OR DELETE ON board_snapshots
    FOR EACH ROW EXECUTE FUNCTION safeguard_never_changed();

ALTER TABLE users ADD COLUMN staff_number TEXT;
CREATE UNIQUE INDEX users_staff_number ON users(force_id, staff_number) WHERE staff_number IS NOT NULL;
