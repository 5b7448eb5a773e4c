-- Admin is no longer a valid default role: a default of admin let every member (and anyone
-- who forged a setup-bot button naming the connection) manage it. Such connections fall
-- back to operator; their explicitly assigned admins keep managing them.
UPDATE connections SET default_role = 'operator' WHERE default_role = 'admin';
