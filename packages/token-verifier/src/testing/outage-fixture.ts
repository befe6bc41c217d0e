import type { RedisClient } from '@bff-auth/service-kit/redis';
import { waitForRedis } from '@bff-auth/service-kit/redis';
import { type OwnRedisServer, startRedisServer } from '@bff-auth/service-kit/testing';
import { connectRevocationStore } from '../revocation-connection';
import { createTokenVerifier, type TokenVerifier } from '../token-verifier';
import { type JwksServer, startJwksServer } from './jwks-server';
import { createIssuerKeys } from './keys';
import { TEST_ISSUER } from './resource-server-fixture';
import { createTokenFactory, type TokenFactory } from './token-factory';

export interface OutageFixture {
  /** A private redis-server: `kill()` it for an outage, `start()` it again to recover. */
  server: OwnRedisServer;
  /** The fail-fast connection to `server` the revocation checks use. */
  redis: RedisClient;
  /** Publishes the RSA public key; `close()` it for a JWKS outage. */
  jwks: JwksServer;
  /** Signs with the RSA key for `issuer` and `audience`. */
  tokens: TokenFactory;
  verifier: TokenVerifier;
  /** Disconnects, kills the redis-server and stops the JWKS server. */
  close(): Promise<void>;
}

/**
 * Dependencies that a test can take away: a private redis-server reached with `commandTimeoutMs`,
 * and a JWKS server, behind a token verifier for `audience` (issuer default TEST_ISSUER).
 */
export async function startOutageFixture({
  audience,
  commandTimeoutMs,
  issuer = TEST_ISSUER,
}: {
  audience: string;
  commandTimeoutMs: number;
  issuer?: string;
}): Promise<OutageFixture> {
  const server = await startRedisServer({ restoredMarker: true });
  const connection = connectRevocationStore({ url: server.url, commandTimeoutMs });
  const { redis } = connection;
  let jwks: JwksServer | undefined;
  const close = async () => {
    redis.disconnect();
    await server.kill();
    await jwks?.close();
  };
  try {
    await waitForRedis(redis);
    const keys = await createIssuerKeys();
    jwks = await startJwksServer([keys.rsa.publicJwk]);
    return {
      server,
      redis,
      jwks,
      tokens: createTokenFactory({ key: keys.rsa, issuer, audience }),
      verifier: createTokenVerifier({
        issuer,
        audience,
        jwksUrl: jwks.jwksUrl,
        revocation: connection.store,
      }),
      close,
    };
  } catch (error) {
    // A failed setup must not leave a redis-server child behind.
    await close();
    throw error;
  }
}
