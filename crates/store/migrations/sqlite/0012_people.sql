-- People of a referral recorded, corrected and re-categorised by hand, each change attributed; how a child with
-- access to the suspect has it; and the person each identifier belongs to, so that re-categorising a reported
-- person (a child who shared their own image becomes a victim) stops their identifiers linking.
ALTER TABLE people ADD COLUMN access TEXT;               -- a child with access: lives_with, visits, work_or_school, online_contact, other
ALTER TABLE people ADD COLUMN added_by TEXT;               -- a user id; NULL: named in the report
ALTER TABLE people ADD COLUMN added_at BIGINT;
ALTER TABLE people ADD COLUMN changed_by TEXT;             -- a user id
ALTER TABLE people ADD COLUMN changed_at BIGINT;
ALTER TABLE identifiers ADD COLUMN person_id TEXT;

-- Identifiers stored before this belong to the person of their role, where the referral has exactly one.
UPDATE identifiers SET person_id = (
    SELECT p.id FROM people p WHERE p.referral_id = identifiers.referral_id AND p.role = identifiers.role)
WHERE (SELECT COUNT(*) FROM people p WHERE p.referral_id = identifiers.referral_id AND p.role = identifiers.role) = 1;
CREATE INDEX identifiers_by_person ON identifiers(person_id);

-- Every change to a person by hand: who, when, and what (the details before and after, as JSON).
CREATE TABLE person_changes (
    id           TEXT PRIMARY KEY,
    referral_id  TEXT NOT NULL REFERENCES referrals(id),
    person_id    TEXT NOT NULL REFERENCES people(id),
    at           BIGINT NOT NULL,
    by_user      TEXT REFERENCES users(id),
    change       TEXT NOT NULL,          -- added, corrected, recategorised
    summary      TEXT NOT NULL
);
CREATE INDEX person_changes_by_referral ON person_changes(referral_id, at);

-- The referrals a child with access to the suspect needs: children's social care (and the LADO where the suspect
-- reaches the child through work), each with its clock from the child's identification, and once made: the local
-- authority, when and by whom, the authority's reference and the strategy discussion's date; or "not needed" with
-- a reason.
CREATE TABLE safeguarding_referrals (
    id                      TEXT PRIMARY KEY,
    force_id                TEXT NOT NULL REFERENCES forces(id),
    referral_id             TEXT NOT NULL REFERENCES referrals(id),
    person_id               TEXT NOT NULL REFERENCES people(id),
    kind                    TEXT NOT NULL,          -- social_care, lado
    clock_id                TEXT REFERENCES clocks(id),
    authority               TEXT,                   -- a local authority's code
    made_at                 BIGINT,
    made_by                 TEXT REFERENCES users(id),
    authority_reference     TEXT,
    strategy_discussion_on  TEXT,                   -- YYYY-MM-DD
    not_needed_reason       TEXT,
    recorded_at             BIGINT
);
CREATE INDEX safeguarding_by_referral ON safeguarding_referrals(referral_id);

-- A child victim referred to the Child House (the Lighthouse), with their Achieving Best Evidence interviews, any
-- medical examination and the start of therapy.
CREATE TABLE child_house_referrals (
    id                   TEXT PRIMARY KEY,
    force_id             TEXT NOT NULL REFERENCES forces(id),
    referral_id          TEXT NOT NULL REFERENCES referrals(id),
    person_id            TEXT NOT NULL REFERENCES people(id),
    referred_at          BIGINT NOT NULL,
    referred_by          TEXT REFERENCES users(id),
    learning_disability  BOOLEAN NOT NULL DEFAULT FALSE,
    medical_at           BIGINT,
    therapy_started_at   BIGINT
);
CREATE INDEX child_house_by_referral ON child_house_referrals(referral_id);

CREATE TABLE abe_interviews (
    id              TEXT PRIMARY KEY,
    child_house_id  TEXT NOT NULL REFERENCES child_house_referrals(id),
    at              BIGINT NOT NULL,
    place           TEXT NOT NULL,          -- child_house, video_suite, other
    interviewer     TEXT NOT NULL,
    intermediary    BOOLEAN NOT NULL,
    repeat_of_earlier BOOLEAN NOT NULL,
    recorded_by     TEXT REFERENCES users(id),
    recorded_at     BIGINT NOT NULL
);
CREATE INDEX abe_interviews_by_referral ON abe_interviews(child_house_id, at);
