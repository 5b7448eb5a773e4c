-- The setup bot (issue 5).

-- The backend group's title (for the connection card) and the connection's API key, sealed
-- with the instance key like the bot token; rotated from the setup bot.
ALTER TABLE connections ADD COLUMN group_title TEXT;
ALTER TABLE connections ADD COLUMN api_key_enc TEXT;

-- Who is talking to the setup bot and where they are in a flow: survives restarts. `state`
-- is JSON owned by hotline-app; `language` is the chat's language, NULL until chosen (the
-- user's Telegram language applies meanwhile).
CREATE TABLE setup_sessions (
    user_id BIGINT PRIMARY KEY,
    language TEXT,
    state TEXT NOT NULL DEFAULT '{}',
    updated_at BIGINT NOT NULL
);

-- Small instance-wide values (the setup bot's update offset).
CREATE TABLE instance_kv (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Members of a backend group seen writing there, so an admin can name one by @username.
CREATE TABLE members (
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    username TEXT,
    first_name TEXT NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (connection_id, user_id)
);
CREATE INDEX members_by_username ON members (connection_id, username);
