-- The delivery worker follows a connection's new jobs (`id > last seen`, in id order): an
-- index seek instead of reading all of the connection's jobs and sorting them, which made
-- every wake-up cost as much as the backlog.
CREATE INDEX outbox_by_connection ON outbox (connection_id, id);
