/** Where our own auth service puts the user's roles: a top-level `roles` array. */
export const DEFAULT_ROLES_CLAIM = 'roles';

/** Longest claim path accepted; real ones (`https://example.com/roles`) are far shorter. */
export const MAX_CLAIM_PATH_LENGTH = 256;

/** Deepest nesting accepted (`resource_access.my-client.roles` is 3). */
export const MAX_CLAIM_PATH_DEPTH = 5;

/** Names that would walk into an object's prototype instead of its own claims. */
const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** A claim path that cannot be used; `code` is stable, the message names the path and the problem. */
export class ClaimPathError extends TypeError {
  readonly code = 'invalid_claim_path';
  constructor(path: string, problem: string) {
    super(`invalid claim path ${JSON.stringify(path.slice(0, 80))}: ${problem}`);
    this.name = 'ClaimPathError';
  }
}

/** A checked claim path: the names to walk, outermost first. */
export interface ClaimPath {
  /** As configured, e.g. `realm_access.roles`. */
  readonly path: string;
  readonly segments: readonly string[];
}

/**
 * Checks a claim path once (at start-up), so reading it per request cannot fail.
 *
 * - `roles` — a top-level claim (our auth service, Entra ID);
 * - `realm_access.roles` — dots walk into nested objects (Keycloak; `resource_access.<client>.roles`);
 * - `https://example.com/roles` — a claim named by a URL (Auth0's namespaced claims) is one name, never
 *   split on its dots.
 *
 * @throws ClaimPathError for an empty or over-long path, white space or control characters, an empty
 *   segment (`a..b`, `.a`), more than MAX_CLAIM_PATH_DEPTH segments, or `__proto__`/`prototype`/`constructor`.
 */
export function parseClaimPath(path: string): ClaimPath {
  if (typeof path !== 'string' || path.length === 0) throw new ClaimPathError(String(path), 'it is empty');
  if (path.length > MAX_CLAIM_PATH_LENGTH)
    throw new ClaimPathError(path, `longer than ${MAX_CLAIM_PATH_LENGTH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\s\u0000-\u001f\u007f]/u.test(path))
    throw new ClaimPathError(path, 'white space or control characters');
  let segments: string[];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    if (!URL.canParse(path)) throw new ClaimPathError(path, 'looks like a URL but is not one');
    segments = [path];
  } else {
    segments = path.split('.');
    if (segments.some((s) => s.length === 0))
      throw new ClaimPathError(path, 'an empty name between dots (write `a.b`, not `a..b` or `.a`)');
    if (segments.length > MAX_CLAIM_PATH_DEPTH)
      throw new ClaimPathError(path, `more than ${MAX_CLAIM_PATH_DEPTH} levels`);
  }
  const unsafe = segments.find((s) => UNSAFE_SEGMENTS.has(s));
  if (unsafe) throw new ClaimPathError(path, `"${unsafe}" is not a claim name`);
  return { path, segments };
}

/** Whether `path` is a usable claim path (for env validation with a message of one's own). */
export function claimPathProblem(path: string): string | null {
  try {
    parseClaimPath(path);
    return null;
  } catch (error) {
    if (error instanceof ClaimPathError) return error.message;
    throw error;
  }
}

/**
 * The value at `path` in a token's claims, or undefined when any level is missing or not an object.
 * Only the claims' own properties are read, never an inherited one.
 */
export function readClaim(claims: unknown, path: ClaimPath): unknown {
  let value: unknown = claims;
  for (const segment of path.segments) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
