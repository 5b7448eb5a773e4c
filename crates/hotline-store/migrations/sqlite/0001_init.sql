-- Hotline schema, SQLite flavour. Times are unix milliseconds; JSON is TEXT.
CREATE TABLE connections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'bot',
    bot_user_id BIGINT NOT NULL UNIQUE,
    bot_username TEXT NOT NULL,
    token_enc TEXT NOT NULL,
    group_chat_id BIGINT NOT NULL,
    plan TEXT NOT NULL DEFAULT 'free',
    enabled BIGINT NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'stopped',
    status_error TEXT,
    params TEXT NOT NULL DEFAULT '{}',
    update_offset BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE customers (
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    chat_id BIGINT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT,
    username TEXT,
    language_code TEXT,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    unreachable TEXT,
    PRIMARY KEY (connection_id, chat_id)
);

CREATE TABLE dialogs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    customer_chat_id BIGINT NOT NULL,
    group_chat_id BIGINT NOT NULL,
    thread_id BIGINT,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'waiting',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (connection_id, customer_chat_id)
);
CREATE INDEX dialogs_by_thread ON dialogs (connection_id, group_chat_id, thread_id);

CREATE TABLE message_map (
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    dialog_id BIGINT NOT NULL,
    customer_chat_id BIGINT NOT NULL,
    customer_message_id BIGINT NOT NULL,
    group_chat_id BIGINT NOT NULL,
    group_message_id BIGINT NOT NULL,
    direction TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, customer_chat_id, customer_message_id)
);
CREATE UNIQUE INDEX message_map_by_group ON message_map (connection_id, group_chat_id, group_message_id);

CREATE TABLE inbox (
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    update_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    processed_at BIGINT,
    PRIMARY KEY (connection_id, update_id)
);
CREATE INDEX inbox_pending ON inbox (connection_id, processed_at, update_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    lane TEXT NOT NULL,
    priority BIGINT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    coalesce_key TEXT,
    not_before BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_by_lane ON outbox (connection_id, lane, id);
CREATE INDEX outbox_by_coalesce ON outbox (connection_id, coalesce_key);
