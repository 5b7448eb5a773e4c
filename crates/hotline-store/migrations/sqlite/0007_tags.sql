-- Tags (`/mark`): named per connection, unique without regard to case (`name_key` is the
-- lower-case name), with an optional ticker shown at the end of topic titles.
CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    ticker TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (connection_id, name_key)
);

-- Funnels: assigning tag_id removes removes_id from the topic.
CREATE TABLE tag_after (
    tag_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    removes_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (tag_id, removes_id)
);

-- Which dialog (customer topic) has which tag.
CREATE TABLE dialog_tags (
    dialog_id BIGINT NOT NULL REFERENCES dialogs(id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (dialog_id, tag_id)
);
CREATE INDEX dialog_tags_by_tag ON dialog_tags (tag_id);
