/** Longest email we accept (RFC 5321 path limit). */
export const MAX_EMAIL_LENGTH = 254;

/**
 * The one normalisation of an email address (SPEC §8): trimmed, Unicode NFKC, then lower case. The
 * `email_key` column, sign-in lookup and the per-account sign-in limit all use it, so every spelling
 * that reaches the same account (`ADMIN@…`, full-width `ａｄｍｉｎ@…`) also meets the same limit, and a
 * spelling the database would match by its own case folding but we do not (`admİn@…`, U+0130) is
 * simply another, unknown account.
 */
export const emailKey = (email: string): string => email.trim().normalize('NFKC').toLowerCase();

// Control (Cc), format (Cf: RTL overrides, zero-width joiners), private-use and unpaired surrogate code
// points have no place in an email address; PostgreSQL refuses NUL outright. (With the `u` flag a
// well-formed surrogate pair is one code point, so \p{Cs} matches only a lone surrogate.)
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u;

/** Whether `email` is text we may look up, store and show: well-formed UTF-16, nothing unprintable. */
export const isPrintableEmailText = (email: string): boolean => !UNPRINTABLE.test(email);

/** Whether `text` is well-formed UTF-16 (no lone surrogate), i.e. can be encoded as UTF-8 unchanged. */
export const isWellFormedText = (text: string): boolean => !/\p{Cs}/u.test(text);
