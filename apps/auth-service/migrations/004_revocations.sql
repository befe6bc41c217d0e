-- The durable record of every acknowledged revocation (SPEC §3, §7): Redis holds the keys every request
-- reads; this table is what the auth service re-applies when Redis comes back empty or fails over.
-- kind: sid | jti | user_nbf | user_disabled | roles_changed; value: epoch seconds where it matters.
CREATE TABLE revocations (
  kind text NOT NULL,
  subject text NOT NULL,
  value bigint NOT NULL DEFAULT 0,
  expires_at timestamptz,
  PRIMARY KEY (kind, subject)
);
CREATE INDEX revocations_expires_idx ON revocations (expires_at);
