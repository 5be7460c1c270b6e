-- Failed sign-ins per client address, kept in the database so that every application server counts the same
-- failures (docs/deploy.md, Several application servers). A row lasts until its window ends.
CREATE TABLE sign_in_addresses (
    address  TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    until    BIGINT NOT NULL
);
CREATE INDEX sign_in_addresses_until ON sign_in_addresses(until);
