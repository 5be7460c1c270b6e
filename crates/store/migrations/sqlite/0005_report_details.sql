-- The whole report: what a report says beyond the fields Safeguard works with (the platform, the platform's own
-- narrative, its internet incidents, another agency already involved, the reporter's notes), kept as JSON and
-- shown as the referral's "further details"; and, for each IP capture event, where in the report it came from
-- (the reported person, a file's upload, or an internet incident such as a peer-to-peer capture).
CREATE TABLE report_details (
    referral_id  TEXT PRIMARY KEY REFERENCES referrals(id),
    details      TEXT NOT NULL           -- JSON: domain::report_details::ReportDetails
);

-- NULL for events imported before origins were recorded.
ALTER TABLE ip_events ADD COLUMN origin TEXT;
