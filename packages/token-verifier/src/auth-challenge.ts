import { DPOP_ALGORITHMS } from './dpop-proof';
import type { AuthorizationScheme } from './parse-authorization';

/**
 * The auth-params a challenge may carry: RFC 6750 §3's `error` and `error_description`, and RFC 9470 §3's
 * `acr_values` (space-separated) and `max_age` (seconds) for a step-up.
 */
export interface ChallengeParams {
  error?: string;
  error_description?: string;
  acr_values?: string;
  max_age?: number;
}

/** Written in this order, whatever the order of the object given. */
const PARAM_ORDER = ['error', 'error_description', 'acr_values', 'max_age'] as const;
const SCHEME_NAME: Record<AuthorizationScheme, string> = { bearer: 'Bearer', dpop: 'DPoP' };
/** RFC 9449 §7.1: a DPoP challenge names the proof algorithms the server accepts. */
const DPOP_ALGS = `algs="${DPOP_ALGORITHMS.join(' ')}"`;

/** A quoted-string (RFC 9110 §5.6.4): `"` and `\` escaped. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/**
 * One `WWW-Authenticate` challenge of `scheme` — the one a refusal of this API answers in, whether a 401
 * from accessTokenAuth or an app's own 403 (a step-up). `DPoP` challenges end with `algs="…"`
 * (DPOP_ALGORITHMS); with no params a Bearer challenge is the bare scheme name.
 *
 * @example authChallenge('dpop', { error: 'insufficient_user_authentication', max_age: 600 })
 * // DPoP error="insufficient_user_authentication", max_age="600", algs="ES256 …"
 */
export function authChallenge(scheme: AuthorizationScheme, params: ChallengeParams = {}): string {
  const attributes = PARAM_ORDER.flatMap((name) =>
    params[name] === undefined ? [] : [`${name}=${quoted(String(params[name]))}`],
  );
  if (scheme === 'dpop') attributes.push(DPOP_ALGS);
  const name = SCHEME_NAME[scheme];
  return attributes.length === 0 ? name : `${name} ${attributes.join(', ')}`;
}
