-- Admin is no longer a valid default role: a default of admin let every member (and anyone
-- who forged a setup-bot button naming the connection) manage it. Such connections fall
-- back to operator; their explicitly assigned admins keep managing them.
UPDATE connections SET default_role = 'operator' WHERE default_role = 'admin';

-- An update whose processing fails every time is set aside after a few attempts instead of
-- stopping its connection forever: `attempts` counts the failures, `error` says why, and
-- `processed_at` is set when it is set aside (the connection moves on).
ALTER TABLE inbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inbox ADD COLUMN error TEXT;

-- A createForumTopic whose answer was lost (a dropped connection or a gateway's 5xx after
-- the topic was made) may have left a topic Hotline never recorded. The exact title it sent
-- is kept here, so an operator writing in such a topic is recognised (the topic's creation
-- message carries that title) and their answer reaches the right customer.
CREATE TABLE topic_doubts (
    connection_id BIGINT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    dialog_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (connection_id, dialog_id, name)
);

-- When the connection's newest update arrived. After a week without updates Telegram picks
-- the next update id at random, so a bot quiet for six days polls without an offset.
ALTER TABLE connections ADD COLUMN last_update_at BIGINT;

-- The title the dialog's topic shows on Telegram (set when the topic is created and after
-- each rename), so a burst of status changes that ends where it started renames nothing.
ALTER TABLE dialogs ADD COLUMN shown_title TEXT;
