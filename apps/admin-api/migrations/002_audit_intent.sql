-- A change is recorded before admin-api asks the auth service for it (outcome 'pending', no status yet) and
-- completed with its outcome afterwards, so no change the auth service acknowledged lacks a row here.
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_outcome_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_outcome_check
  CHECK (outcome IN ('success', 'denied', 'rejected', 'failed', 'pending'));
ALTER TABLE audit_log ALTER COLUMN status DROP NOT NULL;
