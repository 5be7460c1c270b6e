-- Intake, subject linking, subject identification and the risk instrument (SQLite).
-- Matching file: migrations/postgres/0002_intake_linking_triage.sql. Never edit once shipped.

-- A package exactly as received, with its SHA-256. The bytes are kept in 1 MiB chunks so that a large package
-- can be stored while it streams in, without holding it whole in memory.
CREATE TABLE packages (
    id           TEXT PRIMARY KEY,
    force_id     TEXT NOT NULL REFERENCES forces(id),
    source       TEXT NOT NULL,
    package_ref  TEXT,
    received_at  BIGINT NOT NULL,
    borough      TEXT,
    content_type TEXT NOT NULL,          -- application/json or application/xml
    file_name    TEXT,                   -- as given on import, if any
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    imported_by  TEXT REFERENCES users(id),
    imported_at  BIGINT NOT NULL
);
CREATE TABLE package_chunks (
    package_id   TEXT NOT NULL REFERENCES packages(id),
    seq          BIGINT NOT NULL,
    bytes        BLOB NOT NULL,
    PRIMARY KEY (package_id, seq)
);

-- Each report as received (the XML element's exact bytes, or the JSON report object's text).
CREATE TABLE report_originals (
    referral_id  TEXT PRIMARY KEY REFERENCES referrals(id),
    format       TEXT NOT NULL,          -- xml or json
    sha256       TEXT NOT NULL,
    content      TEXT NOT NULL
);

ALTER TABLE referrals ADD COLUMN package_id TEXT REFERENCES packages(id);
ALTER TABLE referrals ADD COLUMN subject_id TEXT;
ALTER TABLE referrals ADD COLUMN annotations TEXT NOT NULL DEFAULT '[]';   -- JSON array
ALTER TABLE referrals ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';      -- JSON array of import warnings
CREATE INDEX referrals_by_subject ON referrals(subject_id);

-- People named in a report, each in its own category: the reported person, victims, intended recipients.
CREATE TABLE people (
    id           TEXT PRIMARY KEY,
    referral_id  TEXT NOT NULL REFERENCES referrals(id),
    role         TEXT NOT NULL,          -- reported, victim, recipient
    details      TEXT NOT NULL           -- JSON: names, age, date of birth, address, school ...
);
CREATE INDEX people_by_referral ON people(referral_id);

-- Identifiers as received and normalised. Only the reported person's identifiers are ever used for linking.
CREATE TABLE identifiers (
    id           TEXT PRIMARY KEY,
    force_id     TEXT NOT NULL REFERENCES forces(id),
    referral_id  TEXT NOT NULL REFERENCES referrals(id),
    role         TEXT NOT NULL,          -- reported, victim, recipient
    kind         TEXT NOT NULL,          -- email, phone, esp_id, screen_name, display_name
    raw          TEXT NOT NULL,
    norm         TEXT NOT NULL
);
CREATE INDEX identifiers_lookup ON identifiers(force_id, kind, norm);
CREATE INDEX identifiers_by_referral ON identifiers(referral_id);

-- IP capture events: the address and port, the instant in UTC and its original offset, and the raw text.
CREATE TABLE ip_events (
    id             TEXT PRIMARY KEY,
    force_id       TEXT NOT NULL REFERENCES forces(id),
    referral_id    TEXT NOT NULL REFERENCES referrals(id),
    seq            BIGINT NOT NULL,     -- order within the report
    address        TEXT NOT NULL,       -- canonical form
    address_raw    TEXT NOT NULL,
    port           BIGINT,
    event          TEXT,
    at             BIGINT,              -- UTC milliseconds
    offset_seconds BIGINT,
    raw            TEXT,                -- the dateTime exactly as received
    possible_proxy BOOLEAN
);
CREATE INDEX ip_events_by_referral ON ip_events(referral_id, seq);
CREATE INDEX ip_events_lookup ON ip_events(force_id, address, port, at);

CREATE TABLE files (
    id                      TEXT PRIMARY KEY,
    force_id                TEXT NOT NULL REFERENCES forces(id),
    referral_id             TEXT NOT NULL REFERENCES referrals(id),
    seq                     BIGINT NOT NULL,
    file_id                 TEXT,
    file_name               TEXT,
    original_file_name      TEXT,
    location                TEXT,
    uploaded_at             BIGINT,
    viewed_by_esp           BOOLEAN,
    exif_viewed_by_esp      BOOLEAN,
    publicly_available      BOOLEAN,
    relevance               TEXT,
    annotations             TEXT NOT NULL,   -- JSON array
    industry_classification TEXT,
    md5                     TEXT,
    sha1                    TEXT
);
CREATE INDEX files_by_referral ON files(referral_id, seq);
CREATE INDEX files_by_md5 ON files(force_id, md5);
CREATE INDEX files_by_sha1 ON files(force_id, sha1);

-- Subjects: one person behind one or more referrals.
CREATE TABLE subjects (
    id           TEXT PRIMARY KEY,
    force_id     TEXT NOT NULL REFERENCES forces(id),
    created_at   BIGINT NOT NULL
);

-- Why a referral belongs to a subject, or might: strong links are applied on import, weak ones wait for a
-- person to confirm or reject them, with the reason recorded.
CREATE TABLE subject_links (
    id            TEXT PRIMARY KEY,
    force_id      TEXT NOT NULL REFERENCES forces(id),
    referral_id   TEXT NOT NULL REFERENCES referrals(id),
    subject_id    TEXT NOT NULL REFERENCES subjects(id),
    strength      TEXT NOT NULL,        -- strong or weak
    status        TEXT NOT NULL,        -- linked, suggested, confirmed, rejected
    basis         TEXT NOT NULL,        -- e.g. "email a@example.com", "IP 192.0.2.7:4431 within 5 minutes"
    decided_by    TEXT REFERENCES users(id),
    decided_at    BIGINT,
    reason        TEXT
);
CREATE INDEX subject_links_by_referral ON subject_links(referral_id);
CREATE INDEX subject_links_by_subject ON subject_links(subject_id);

-- Communications data requests (Investigatory Powers Act 2016), built from a stored IP event.
CREATE TABLE cd_requests (
    id             TEXT PRIMARY KEY,
    force_id       TEXT NOT NULL REFERENCES forces(id),
    referral_id    TEXT NOT NULL REFERENCES referrals(id),
    ip_event_id    TEXT NOT NULL REFERENCES ip_events(id),
    address        TEXT NOT NULL,
    port           BIGINT,
    instant        BIGINT NOT NULL,     -- the exact UTC instant sent to the provider
    provider       TEXT NOT NULL,
    requested_by   TEXT NOT NULL REFERENCES users(id),
    requested_at   BIGINT NOT NULL,
    subscriber     TEXT,
    subscriber_address TEXT,
    answered_by    TEXT REFERENCES users(id),
    answered_at    BIGINT
);
CREATE INDEX cd_requests_by_referral ON cd_requests(referral_id);

-- A recorded check corroborating an address other than a second IP event (e.g. electoral roll, visit).
CREATE TABLE corroborations (
    id           TEXT PRIMARY KEY,
    referral_id  TEXT NOT NULL REFERENCES referrals(id),
    address      TEXT NOT NULL,        -- normalised (trimmed, case-folded, spaces collapsed)
    method       TEXT NOT NULL,
    detail       TEXT NOT NULL,
    recorded_by  TEXT NOT NULL REFERENCES users(id),
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX corroborations_by_referral ON corroborations(referral_id);

-- Risk assessments made with an instrument; each keeps the instrument's id and version and the answers.
CREATE TABLE assessments (
    id                 TEXT PRIMARY KEY,
    referral_id        TEXT NOT NULL REFERENCES referrals(id),
    instrument_id      TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    answers            TEXT NOT NULL,   -- JSON
    evaluation         TEXT NOT NULL,   -- JSON: level, score, reasons, floors
    level              TEXT NOT NULL,   -- the instrument's level
    assessed_by        TEXT NOT NULL REFERENCES users(id),
    assessed_at        BIGINT NOT NULL,
    decision           TEXT,            -- signed_off or overridden (NULL: awaiting a supervisor)
    final_level        TEXT,
    override_reason    TEXT,
    decided_by         TEXT REFERENCES users(id),
    decided_at         BIGINT
);
CREATE INDEX assessments_by_referral ON assessments(referral_id, assessed_at);
