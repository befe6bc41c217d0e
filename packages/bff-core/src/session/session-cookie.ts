import type { SameSite } from '../http/cookies';

/** Cookie names of the two apps: different names, since cookies are shared across ports on one host. */
export const SESSION_COOKIE_NAMES = {
  user: '__Host-user-session',
  admin: '__Host-admin-session',
} as const;

/** The user app allows top-level cross-site navigations to carry the cookie; the admin app does not. */
export const SESSION_SAME_SITE: Record<keyof typeof SESSION_COOKIE_NAMES, SameSite> = {
  user: 'Lax',
  admin: 'Strict',
};

/** Session lifetimes: the refresh token's absolute lifetime (user 7 days, admin 12 hours). */
export const SESSION_TTL_SECONDS = { user: 7 * 24 * 3600, admin: 12 * 3600 } as const;

/** Browsers refuse cookies whose name and value exceed 4096 bytes. */
export const MAX_COOKIE_BYTES = 4096;
