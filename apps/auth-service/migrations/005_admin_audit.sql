-- Every change the internal user-management API makes for an admin, written in the same transaction as
-- the change itself (SPEC §8: "the audit row and the change are written together, or neither is"), and
-- every attempt refused by the admin rules (self-demotion, self-disable, removing the last admin).
-- Rows are only ever inserted. admin-api keeps its own log of every request in admindb; this one is the
-- record that cannot disagree with authdb.
CREATE TABLE IF NOT EXISTS admin_audit (
  id bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  request_id text NOT NULL,
  actor_id text NOT NULL,
  client_id text NOT NULL,
  action text NOT NULL,
  target_id text,
  outcome text NOT NULL CHECK (outcome IN ('success', 'refused')),
  error_code text,
  before jsonb,
  after jsonb
);
CREATE INDEX IF NOT EXISTS admin_audit_target_idx ON admin_audit (target_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS admin_audit_request_idx ON admin_audit (request_id);
