import { DEFAULT_MAX_TOKEN_LENGTH } from './constants';

/** The two schemes an access token may come with: RFC 6750 `Bearer`, or RFC 9449 `DPoP` (with a proof). */
export type AuthorizationScheme = 'bearer' | 'dpop';

export type AuthorizationParseResult =
  | { ok: true; scheme: AuthorizationScheme; token: string }
  | { ok: false; problem: 'missing' | 'unknown_scheme' | 'too_long' | 'malformed' };

// RFC 6750 §2.1 / RFC 9449 §7.1: scheme SP token68. The scheme is case-insensitive (RFC 9110 §11.1),
// nothing else is lenient: one space, one token, no commas (two Authorization headers joined by a proxy
// do not pass).
const CREDENTIALS = /^(Bearer|DPoP) ([A-Za-z0-9\-._~+/]+=*)$/i;
const SCHEME = /^(bearer|dpop)(\s|$)/i;
/** The longer scheme name plus its space. */
const LONGEST_PREFIX = 'Bearer '.length;

/** Reads `Authorization: Bearer …` or `Authorization: DPoP …`, refusing oversized headers before any parsing. */
export function parseAuthorization(
  header: string | null | undefined,
  maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH,
): AuthorizationParseResult {
  if (header === undefined || header === null || header === '') return { ok: false, problem: 'missing' };
  if (header.length > maxTokenLength + LONGEST_PREFIX) return { ok: false, problem: 'too_long' };
  if (!SCHEME.test(header)) return { ok: false, problem: 'unknown_scheme' };
  const match = CREDENTIALS.exec(header);
  if (!match?.[1] || !match[2]) return { ok: false, problem: 'malformed' };
  return { ok: true, scheme: match[1].toLowerCase() === 'dpop' ? 'dpop' : 'bearer', token: match[2] };
}
