import { DEFAULT_MAX_TOKEN_LENGTH } from './constants';

export type BearerParseResult =
  | { ok: true; token: string }
  | { ok: false; problem: 'missing' | 'not_bearer' | 'too_long' | 'malformed' };

// RFC 6750 §2.1: `Bearer` SP b64token. The scheme is case-insensitive (RFC 9110 §11.1), nothing else is
// lenient: one space, one token, no commas (two Authorization headers joined by a proxy do not pass).
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** Reads the token of an `Authorization: Bearer …` header, refusing oversized headers before any parsing. */
export function parseBearer(
  header: string | null | undefined,
  maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH,
): BearerParseResult {
  if (header === undefined || header === null || header === '') return { ok: false, problem: 'missing' };
  if (header.length > maxTokenLength + 'Bearer '.length) return { ok: false, problem: 'too_long' };
  if (!/^bearer(\s|$)/i.test(header)) return { ok: false, problem: 'not_bearer' };
  const match = BEARER.exec(header);
  return match?.[1] ? { ok: true, token: match[1] } : { ok: false, problem: 'malformed' };
}
