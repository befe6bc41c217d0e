import { safeText } from '@bff-auth/service-kit/http';
import type { AccessTokenIdentity } from '@bff-auth/token-verifier';
import { z } from 'zod';

/** What GET and PUT /api/v1/profiles/me answer with. */
export interface Profile {
  firstName: string;
  lastName: string;
  displayName: string;
  locale: string;
  /** ISO 8601. */
  updatedAt: string;
}

export const DEFAULT_LOCALE = 'en';
export const MAX_NAME_LENGTH = 100;

// BCP 47 in practice: a language, then optional script/region/variant subtags.
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
// No control characters (newlines, NUL…), direction overrides or lone surrogates in anything shown to
// people: a lone surrogate would be stored as U+FFFD, a silent change of what was sent.
const name = safeText().trim().max(MAX_NAME_LENGTH, `At most ${MAX_NAME_LENGTH} characters`);

/** PUT body: any subset of the editable fields, nothing else (an unknown key such as userId is a 422). */
export const profileUpdateSchema = z
  .strictObject({
    firstName: name.optional(),
    lastName: name.optional(),
    displayName: name.min(1, 'Must not be empty').optional(),
    locale: z.string().max(35).regex(LOCALE, 'Must be a language tag such as en or fr-CA').optional(),
  })
  .refine((update) => Object.keys(update).length > 0, { message: 'Send at least one field to change' });

export type ProfileUpdate = z.infer<typeof profileUpdateSchema>;

/** The first profile of a user, from what the token says about them (name, else email, else sub). */
export function initialProfile(identity: AccessTokenIdentity) {
  const clip = (value: string) => value.trim().slice(0, MAX_NAME_LENGTH);
  const fullName = identity.name?.trim();
  if (fullName) {
    const [first = '', ...rest] = fullName.split(/\s+/);
    return { firstName: clip(first), lastName: clip(rest.join(' ')), displayName: clip(fullName) };
  }
  const emailName = identity.email?.split('@')[0]?.trim();
  return { firstName: '', lastName: '', displayName: clip(emailName || identity.userId) };
}
