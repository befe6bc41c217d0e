import { currentPasswordSchema, PASSWORD_MAX_LENGTH } from '@bff-auth/service-kit/passwords';
import { z } from 'zod';

/** oidc-provider's ids (session uids, `sid` claims): nanoid, base64url. */
const PROVIDER_ID = /^[A-Za-z0-9_-]{1,256}$/;
export const isProviderId = (value: string) => PROVIDER_ID.test(value);

/** The `sid` claim of the caller's own token, relayed by user-api: the session that stays. */
const currentSid = z.string({ error: 'Name the current session' }).regex(PROVIDER_ID, 'Not a session id');

export const endOthersBody = z.strictObject({ currentSid });

// The new password is checked by the shared rule inside the change (it needs the account's email); here
// only its type and size, so a huge body never reaches argon2.
export const passwordChangeBody = z.strictObject({
  currentSid,
  currentPassword: currentPasswordSchema,
  newPassword: z
    .string({ error: 'Enter a new password' })
    .max(PASSWORD_MAX_LENGTH * 2, `At most ${PASSWORD_MAX_LENGTH} characters`),
});

/** A code typed for two-step verification: a TOTP code or a recovery code (their form is checked later). */
export const twoStepCodeBody = z.strictObject({
  code: z.string({ error: 'Enter a code' }).trim().min(1, 'Enter a code').max(64, 'That code is too long'),
});
