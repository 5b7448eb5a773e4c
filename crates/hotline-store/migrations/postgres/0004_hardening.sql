-- Admin is no longer a valid default role: a default of admin let every member (and anyone
-- who forged a setup-bot button naming the connection) manage it. Such connections fall
-- back to operator; their explicitly assigned admins keep managing them.
UPDATE connections SET default_role = 'operator' WHERE default_role = 'admin';

-- An update whose processing fails every time is set aside after a few attempts instead of
-- stopping its connection forever: `attempts` counts the failures, `error` says why, and
-- `processed_at` is set when it is set aside (the connection moves on).
ALTER TABLE inbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inbox ADD COLUMN error TEXT;
