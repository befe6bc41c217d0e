/** Longest email we accept (RFC 5321 path limit). */
export const MAX_EMAIL_LENGTH = 254;

/**
 * The one normalisation of an email address (SPEC §8): Unicode NFKC, lower case, trimmed (until stable). The
 * `email_key` column, sign-in lookup and the per-account sign-in limit all use it, so every spelling
 * that reaches the same account (`ADMIN@…`, full-width `ａｄｍｉｎ@…`) also meets the same limit, and a
 * spelling the database would match by its own case folding but we do not (`admİn@…`, U+0130) is
 * simply another, unknown account.
 */
export function emailKey(email: string): string {
  // Trimmed last, and repeated until nothing changes: NFKC can make a space of a character (U+2017 gives
  // a space and a combining mark), and lower-casing can give text NFKC changes again. One pass of each
  // would not be idempotent, and a key must be its own key.
  let key = email;
  for (let pass = 0; pass < 4; pass++) {
    const next = key.normalize('NFKC').toLowerCase().trim();
    if (next === key) break;
    key = next;
  }
  return key;
}

// Control (Cc), format (Cf: RTL overrides, zero-width joiners), private-use and unpaired surrogate code
// points have no place in an email address; PostgreSQL refuses NUL outright. (With the `u` flag a
// well-formed surrogate pair is one code point, so \p{Cs} matches only a lone surrogate.)
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u;

/** Whether `email` is text we may look up, store and show: well-formed UTF-16, nothing unprintable. */
export const isPrintableEmailText = (email: string): boolean => !UNPRINTABLE.test(email);

/** Whether `text` is well-formed UTF-16 (no lone surrogate), i.e. can be encoded as UTF-8 unchanged. */
export const isWellFormedText = (text: string): boolean => !/\p{Cs}/u.test(text);
