-- Retention: message pairs are deleted by age (retention_message_map_days).
CREATE INDEX message_map_by_age ON message_map (connection_id, created_at);
