-- Templates: a named chain of messages per connection (`/send NAME`, broadcasts, tags that
-- send one). `items` is a JSON array of Bot API messages as the frontend bot received them
-- (its own file ids), resent with the matching send method.
CREATE TABLE templates (
    id BIGSERIAL PRIMARY KEY,
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    items TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (connection_id, name_key)
);

-- A template being recorded (`/template new NAME` without a reply): the member's next
-- messages in General, until `/template save`.
CREATE TABLE template_drafts (
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    items TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, user_id)
);

-- `/mark NAME sends TEMPLATE`: assigning the tag sends the template to the customer.
ALTER TABLE tags ADD COLUMN sends_template BIGINT REFERENCES templates(id) ON DELETE SET NULL;

-- Broadcasts (`/send` in General). state: draft (previewed), running, paused, cancelled,
-- done. `month` (YYYY-MM, UTC) is the calendar month whose free-plan quota it took.
CREATE TABLE broadcasts (
    id BIGSERIAL PRIMARY KEY,
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    created_by BIGINT NOT NULL,
    state TEXT NOT NULL,
    items TEXT NOT NULL,
    content_label TEXT NOT NULL,
    audience TEXT NOT NULL,
    month TEXT,
    command_message BIGINT,
    control_message BIGINT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    -- When the progress message was last brought up to date.
    progress_at BIGINT
);
CREATE INDEX broadcasts_by_month ON broadcasts (connection_id, month);

-- One row per recipient. state: pending, sending (committed before the call: a send
-- interrupted by a crash is never repeated, it becomes unknown), sent, failed, unknown,
-- over_quota, cancelled.
CREATE TABLE broadcast_recipients (
    broadcast_id BIGINT NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    state TEXT NOT NULL,
    error TEXT,
    at BIGINT,
    PRIMARY KEY (broadcast_id, position),
    UNIQUE (broadcast_id, user_id)
);
CREATE INDEX broadcast_recipients_by_state ON broadcast_recipients (broadcast_id, state, position);
