-- Governance: the inspection reports, their recommendations, actions, evidence, both status histories, the
-- oversight body's comments and section 55 responses, the board's meetings and the training records, kept as a
-- force's sequence of changes. Each row is one attributed, dated change (its JSON is a `domain::governance`
-- change); the current state is what the changes add up to, so nothing is ever overwritten. Rows are never
-- updated or deleted: the triggers refuse it.
CREATE TABLE governance_events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    force_id  TEXT NOT NULL REFERENCES forces(id),
    at        BIGINT NOT NULL,              -- when it was recorded (ms since the epoch)
    by_user   TEXT REFERENCES users(id),
    by_name   TEXT NOT NULL,                -- the name shown for them when they recorded it
    kind      TEXT NOT NULL,                -- the change's kind (inspection_added, status_recorded, ...)
    subject   TEXT NOT NULL,                -- the id of the report, recommendation, action or meeting it is about
    change    TEXT NOT NULL                 -- the whole change, as JSON
);
CREATE INDEX governance_events_by_force ON governance_events(force_id, seq);
CREATE TRIGGER governance_events_never_updated BEFORE UPDATE ON governance_events
BEGIN SELECT RAISE(ABORT, 'governance changes are never changed'); END;
CREATE TRIGGER governance_events_never_deleted BEFORE DELETE ON governance_events
BEGIN SELECT RAISE(ABORT, 'governance changes are never deleted'); END;

-- A board meeting's snapshot, frozen on or after the meeting: its content (JSON) and that content's SHA-256,
-- never changed afterwards.
CREATE TABLE board_snapshots (
    id         TEXT PRIMARY KEY,
    force_id   TEXT NOT NULL REFERENCES forces(id),
    meeting    TEXT NOT NULL,               -- the meeting's id (from its governance change)
    frozen_at  BIGINT NOT NULL,
    frozen_by  TEXT REFERENCES users(id),
    content    TEXT NOT NULL,
    sha256     TEXT NOT NULL
);
CREATE UNIQUE INDEX board_snapshots_once ON board_snapshots(force_id, meeting);
CREATE TRIGGER board_snapshots_never_updated BEFORE UPDATE ON board_snapshots
BEGIN SELECT RAISE(ABORT, 'a frozen snapshot is never changed'); END;
CREATE TRIGGER board_snapshots_never_deleted BEFORE DELETE ON board_snapshots
BEGIN SELECT RAISE(ABORT, 'a frozen snapshot is never deleted'); END;

-- An officer's staff number in the force's learning system, for importing training completions.
ALTER TABLE users ADD COLUMN staff_number TEXT;
CREATE UNIQUE INDEX users_staff_number ON users(force_id, staff_number) WHERE staff_number IS NOT NULL;
