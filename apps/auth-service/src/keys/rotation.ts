import { ID_TOKEN_TTL_SECONDS } from '../oidc/lifetimes';

/** Extra time an old key stays published after its last token could have expired. */
const RETENTION_SLACK_MS = 60_000;

/**
 * The rotation schedule of SPEC §3 for this configuration: publish the new key for the verifiers' JWKS
 * cache age before signing with it, keep the old one until its last access or ID token has expired.
 */
export function rotationSchedule(config: { jwksCacheMaxAgeMs: number; accessTokenTtl: number }) {
  return {
    publishForMs: config.jwksCacheMaxAgeMs,
    retainForMs: Math.max(config.accessTokenTtl, ID_TOKEN_TTL_SECONDS) * 1000 + RETENTION_SLACK_MS,
  };
}
