-- Private keys are stored as compact JWE (dir + A256GCM) under SIGNING_KEY_SECRET.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  public_jwk jsonb NOT NULL,
  private_jwk_encrypted text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  activates_at timestamptz NOT NULL,
  retires_at timestamptz
);
