-- Exhibits: the devices and media seized in an investigation, each with its continuity (every handover), its
-- forensic path (each step a row with the clock that measures its turnaround from the step before it), the
-- investigator's examination request, the grader's findings, and the scan reports attached to it, kept as received.
CREATE TABLE exhibits (
    id                    TEXT PRIMARY KEY,
    force_id              TEXT NOT NULL REFERENCES forces(id),
    referral_id           TEXT NOT NULL REFERENCES referrals(id),
    reference             TEXT NOT NULL,          -- the exhibit reference (JD/1)
    kind                  TEXT NOT NULL,          -- phone, computer, tablet, storage_media, games_console, camera, other
    description           TEXT NOT NULL,
    seized_at             BIGINT NOT NULL,
    seized_where          TEXT NOT NULL,
    seized_from_person    TEXT REFERENCES people(id),
    seized_from           TEXT NOT NULL,          -- as written at seizure (a person's name, or "premises")
    created_by            TEXT REFERENCES users(id),
    created_at            BIGINT NOT NULL,
    examination           TEXT,                   -- full, triage_only: once submitted
    submission_reason     TEXT,
    request_identifiers   TEXT,                   -- the examination request: what to look for
    request_from          TEXT,                   -- YYYY-MM-DD
    request_to            TEXT,
    request_questions     TEXT,
    graded_a              BIGINT,                 -- images a grader categorised beyond the exact matches
    graded_b              BIGINT,
    graded_c              BIGINT,
    new_images            BIGINT,                 -- new images (in no hash set) found indecent
    distribution          BOOLEAN NOT NULL DEFAULT FALSE,
    production            BOOLEAN NOT NULL DEFAULT FALSE,
    grading_note          TEXT
);
CREATE UNIQUE INDEX exhibits_reference ON exhibits(referral_id, reference);
CREATE INDEX exhibits_by_force ON exhibits(force_id, created_at);

CREATE TABLE exhibit_handovers (
    id           TEXT PRIMARY KEY,
    exhibit_id   TEXT NOT NULL REFERENCES exhibits(id),
    at           BIGINT NOT NULL,
    from_party   TEXT NOT NULL,
    to_party     TEXT NOT NULL,
    recorded_by  TEXT REFERENCES users(id),
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX exhibit_handovers_by_exhibit ON exhibit_handovers(exhibit_id, at);

-- One row per step whose clock has started; done_at once the step happened.
CREATE TABLE forensic_steps (
    id           TEXT PRIMARY KEY,
    exhibit_id   TEXT NOT NULL REFERENCES exhibits(id),
    step         TEXT NOT NULL,                   -- submitted, examination_started, returned, graded, victim_identification, national_database
    clock_id     TEXT NOT NULL REFERENCES clocks(id),
    done_at      BIGINT,
    done_by      TEXT REFERENCES users(id)
);
CREATE UNIQUE INDEX forensic_steps_once ON forensic_steps(exhibit_id, step);
CREATE INDEX forensic_steps_waiting ON forensic_steps(step, done_at);

CREATE TABLE scan_reports (
    id               TEXT PRIMARY KEY,
    exhibit_id       TEXT NOT NULL REFERENCES exhibits(id),
    received_at      BIGINT NOT NULL,
    received_by      TEXT REFERENCES users(id),
    tool             TEXT NOT NULL,
    tool_version     TEXT NOT NULL,
    root             TEXT NOT NULL,
    started_at       BIGINT NOT NULL,
    files            BIGINT NOT NULL,
    images           BIGINT NOT NULL,
    count_a          BIGINT NOT NULL,
    count_b          BIGINT NOT NULL,
    count_c          BIGINT NOT NULL,
    not_indecent     BIGINT NOT NULL,
    uncategorised    BIGINT NOT NULL,
    other            BIGINT NOT NULL,
    exact            BIGINT NOT NULL,
    near             BIGINT NOT NULL,
    unknown_images   BIGINT NOT NULL,
    unreadable       BIGINT NOT NULL,
    exact_a          BIGINT NOT NULL,
    exact_b          BIGINT NOT NULL,
    exact_c          BIGINT NOT NULL,
    near_a           BIGINT NOT NULL,
    near_b           BIGINT NOT NULL,
    near_c           BIGINT NOT NULL,
    sets             TEXT NOT NULL,               -- JSON: [{name, checksum}]
    sha256           TEXT NOT NULL,
    bytes            BLOB NOT NULL                -- the report as received
);
CREATE INDEX scan_reports_by_exhibit ON scan_reports(exhibit_id, received_at);

-- Case quality reviews: a sample drawn by an auditor (its seed, date and size, so it can be drawn again), each
-- sampled referral's grades, and the remedial actions a review refers back (each with its clock).
CREATE TABLE quality_samples (
    id          TEXT PRIMARY KEY,
    force_id    TEXT NOT NULL REFERENCES forces(id),
    seed        TEXT NOT NULL,
    as_at       TEXT NOT NULL,                    -- YYYY-MM-DD
    per_bcu     BIGINT NOT NULL,
    areas       TEXT NOT NULL,                    -- JSON: the areas graded against
    drawn_by    TEXT REFERENCES users(id),
    drawn_at    BIGINT NOT NULL
);

CREATE TABLE quality_reviews (
    id            TEXT PRIMARY KEY,
    sample_id     TEXT NOT NULL REFERENCES quality_samples(id),
    referral_id   TEXT NOT NULL REFERENCES referrals(id),
    bcu_id        TEXT NOT NULL REFERENCES bcus(id),
    stratum       TEXT NOT NULL,                  -- open or closed as at the date, and the risk level
    grades        TEXT,                           -- JSON: {area: grade}; NULL until graded
    overall       TEXT,                           -- good, requires_improvement, inadequate
    notes         TEXT,
    graded_by     TEXT REFERENCES users(id),
    graded_at     BIGINT
);
CREATE UNIQUE INDEX quality_reviews_once ON quality_reviews(sample_id, referral_id);

CREATE TABLE remedial_actions (
    id            TEXT PRIMARY KEY,
    force_id      TEXT NOT NULL REFERENCES forces(id),
    review_id     TEXT NOT NULL REFERENCES quality_reviews(id),
    referral_id   TEXT NOT NULL REFERENCES referrals(id),
    bcu_id        TEXT NOT NULL REFERENCES bcus(id),
    action        TEXT NOT NULL,
    clock_id      TEXT NOT NULL REFERENCES clocks(id),
    set_by        TEXT REFERENCES users(id),
    set_at        BIGINT NOT NULL,
    done_at       BIGINT,
    done_by       TEXT REFERENCES users(id),
    done_note     TEXT
);
CREATE INDEX remedial_actions_open ON remedial_actions(force_id, bcu_id, done_at);
CREATE INDEX remedial_actions_by_referral ON remedial_actions(referral_id);
