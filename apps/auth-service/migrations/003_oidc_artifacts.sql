-- The provider's long-lived artefacts (sessions, grants, refresh tokens): PostgreSQL is their record, so an
-- empty or failed-over Redis signs nobody out. Short-lived ones (interactions, codes) stay in Redis.
-- The payload is JSON text, not jsonb: JSON.stringify escapes every character PostgreSQL's jsonb refuses.
CREATE TABLE oidc_artifacts (
  model text NOT NULL,
  id text NOT NULL,
  payload text NOT NULL,
  grant_id text,
  account_id text,
  uid text,
  consumed_at bigint,
  expires_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_artifacts_grant_idx ON oidc_artifacts (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_artifacts_account_idx ON oidc_artifacts (model, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX oidc_artifacts_uid_idx ON oidc_artifacts (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_artifacts_expires_idx ON oidc_artifacts (expires_at);
