-- A connection whose frontend is a Telegram Business account (`kind = 'business'`): the
-- BusinessConnection it works through, as JSON (id, owner, enabled, rights), replaced on
-- every `business_connection` update. NULL for a bot frontend.
ALTER TABLE connections ADD COLUMN business TEXT;
