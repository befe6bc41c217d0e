-- Two-step verification (SPEC §12). The TOTP secret is stored encrypted (compact JWE, the signing keys'
-- encryption), so a copy of the database alone cannot compute codes. `confirmed_at` is null while an
-- enrolment waits for its first code; `last_used_step` is the 30-second step of the last accepted code,
-- moved forward atomically so that a code is accepted once.
CREATE TABLE IF NOT EXISTS user_totp (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_jwe text NOT NULL,
  confirmed_at timestamptz,
  last_used_step bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Recovery codes: only the SHA-256 of each (the codes carry about 79 random bits, so a fast hash is enough);
-- a used code keeps its row with `used_at` set.
CREATE TABLE IF NOT EXISTS user_recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);
