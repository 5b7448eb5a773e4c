-- Dialog lifecycle, parameters and roles (issue 4).

-- Who created the connection (the default EXTENSIONS_ALLOWED, never left without an admin),
-- the language of the team's notices, the role of members nobody assigned one, and a counter
-- bumped by every change to parameters, plan, roles or language: the runtime compares it to
-- what it loaded and reloads, so a change applies without a restart, from any process.
ALTER TABLE connections ADD COLUMN admin_user_id BIGINT;
ALTER TABLE connections ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE connections ADD COLUMN default_role TEXT NOT NULL DEFAULT 'operator';
ALTER TABLE connections ADD COLUMN settings_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE roles (
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (connection_id, user_id)
);

-- For the customer card.
ALTER TABLE customers ADD COLUMN phone TEXT;
ALTER TABLE customers ADD COLUMN start_payload TEXT;

-- The state machine's fields (hotline_core::dialog::Dialog). `topic`: none | exists | deleted.
ALTER TABLE dialogs ADD COLUMN kind TEXT NOT NULL DEFAULT 'private';
ALTER TABLE dialogs ADD COLUMN topic TEXT NOT NULL DEFAULT 'none';
ALTER TABLE dialogs ADD COLUMN last_customer_ms BIGINT;
ALTER TABLE dialogs ADD COLUMN last_answer_ms BIGINT;
ALTER TABLE dialogs ADD COLUMN welcomed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dialogs ADD COLUMN openings BIGINT NOT NULL DEFAULT 0;
-- Dialogs of the relay-only schema were opened by their first message and welcomed.
UPDATE dialogs SET topic = 'exists', welcomed = 1, openings = 1, last_customer_ms = updated_at;
CREATE INDEX dialogs_autoclose ON dialogs (connection_id, status, last_answer_ms);
