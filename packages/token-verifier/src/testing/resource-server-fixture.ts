import { createRevocationStore, type RevocationStore } from '@bff-auth/revocation';
import type { Logger } from '@bff-auth/service-kit/logger';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { createCaptureLogger, createTestRedis } from '@bff-auth/service-kit/testing';
import { createDpopReplayCache } from '../dpop-replay';
import { createTokenVerifier, type TokenVerifier } from '../token-verifier';
import { type JwksServer, startJwksServer } from './jwks-server';
import { createIssuerKeys, type IssuerKeys } from './keys';
import { createTokenFactory, type TokenFactory } from './token-factory';

/** The issuer the fixture's tokens name. */
export const TEST_ISSUER = 'http://auth.test';

export interface ResourceServerFixture {
  /** The shared Redis under a key prefix unique to this run. */
  redis: RedisClient;
  keys: IssuerKeys;
  /** Publishes the RSA and EC public keys over HTTP. */
  jwks: JwksServer;
  /** Signs with the RSA key for TEST_ISSUER and the audience. */
  tokens: TokenFactory;
  revocation: RevocationStore;
  /** Verifies the audience's tokens against the JWKS server and the revocation store. */
  verifier: TokenVerifier;
  /** Logs at debug into `logs`. */
  logger: Logger;
  /** Everything the logger wrote, one JSON line per entry. */
  logs: string[];
  /** Stops the JWKS server, deletes the run's Redis keys and disconnects. */
  close(): Promise<void>;
}

/**
 * What a resource server's integration tests need besides its database, all real: Redis (unique
 * prefix, labelled `${service}-${label}`), issuer keys with a JWKS served over HTTP, a token verifier
 * for `audience` (issuer TEST_ISSUER) and a logger whose lines the test can read.
 */
export async function startResourceServerFixture({
  service,
  label,
  audience,
  dpop,
}: {
  /** The service's name, e.g. `user-api`: labels Redis keys and log lines. */
  service: string;
  /** Tells one test file's keys from another's. */
  label: string;
  audience: string;
  /** The verifier's DPoP mode (`ACCESS_TOKEN_DPOP`). Default: none (Bearer tokens, as most tests send). */
  dpop?: 'required' | 'allowed';
}): Promise<ResourceServerFixture> {
  const t = await createTestRedis(`${service}-${label}`);
  const keys = await createIssuerKeys();
  const jwks = await startJwksServer([keys.rsa.publicJwk, keys.ec.publicJwk]);
  const revocation = createRevocationStore({ redis: t.redis, channelPrefix: t.prefix });
  const verifier = createTokenVerifier({
    issuer: TEST_ISSUER,
    audience,
    jwksUrl: jwks.jwksUrl,
    revocation,
    ...(dpop ? { dpop: { mode: dpop, replay: createDpopReplayCache({ redis: t.redis }) } } : {}),
  });
  const { logger, logs } = createCaptureLogger(service);
  return {
    redis: t.redis,
    keys,
    jwks,
    tokens: createTokenFactory({ key: keys.rsa, issuer: TEST_ISSUER, audience }),
    revocation,
    verifier,
    logger,
    logs,
    async close() {
      await jwks.close();
      await t.cleanup();
    },
  };
}
