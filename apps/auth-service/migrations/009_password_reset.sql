-- Password reset links (SPEC §12). Only the SHA-256 of each link's token is stored (the token carries
-- 256 random bits, so a fast hash is enough): a copy of the database cannot be used to reset anyone.
-- A link works once (`used_at`, set atomically by the reset) and until `expires_at` (30 minutes).
CREATE TABLE IF NOT EXISTS password_reset_tokens (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS password_reset_tokens_user ON password_reset_tokens (user_id);
