-- "Require password change at next sign-in" (SPEC §12): set by an admin, cleared when the password is
-- set (by the user at sign-in, a change on the Security page or a reset link).
ALTER TABLE users ADD COLUMN IF NOT EXISTS password_change_required boolean NOT NULL DEFAULT false;
