-- Where each provider session was started and when it was last used, for the account's Security page
-- (SPEC §12). oidc-provider's Session keeps a fixed set of fields, so this lives beside it, keyed by the
-- session's uid (never its id, which is the browser's cookie). Rows of ended sessions are swept.
CREATE TABLE IF NOT EXISTS session_devices (
  session_uid text PRIMARY KEY,
  account_id text NOT NULL,
  user_agent text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS session_devices_account_idx ON session_devices (account_id);
