-- An ended artefact leaves a tombstone for an hour instead of vanishing: oidc-provider saves the session a
-- request loaded when that request ends, so a sign-in racing the end-session in another tab would
-- otherwise write the ended session (and its sid, already revoked at the BFFs) back to life.
ALTER TABLE oidc_artifacts ADD COLUMN destroyed_at timestamptz;
