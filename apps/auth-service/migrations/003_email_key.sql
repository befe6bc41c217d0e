-- One normalisation of the email for uniqueness, sign-in lookup and sign-in limits: NFKC, then lower case
-- (computed by the service, src/users/email-key.ts). Existing rows get PostgreSQL's equivalent, which
-- agrees with the service's for every address but a few exotic case foldings. The address as typed
-- stays in `email` for display.
ALTER TABLE users ADD COLUMN email_key text;
UPDATE users SET email_key = lower(normalize(btrim(email), NFKC));
ALTER TABLE users ALTER COLUMN email_key SET NOT NULL;
DROP INDEX users_email_lower_idx;
CREATE UNIQUE INDEX users_email_key_idx ON users (email_key);
