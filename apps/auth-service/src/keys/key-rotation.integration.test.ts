import { createTestRedis } from '@bff-auth/service-kit/testing';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { startAuthService } from '../testing';
import { rotationSchedule } from './rotation';

const verifyOptions = (issuer: string) => ({
  algorithms: ['RS256'],
  issuer,
  audience: 'user-api',
  typ: 'at+jwt',
  requiredClaims: ['exp', 'iat', 'sub', 'jti'],
});

describe('signing keys', () => {
  it('stores private keys encrypted at rest', async () => {
    const auth = await startAuthService();
    try {
      const { rows } = await auth.db.query<{
        private_jwk_encrypted: string;
        public_jwk: Record<string, unknown>;
      }>('SELECT private_jwk_encrypted, public_jwk FROM signing_keys');
      expect(rows).toHaveLength(1);
      expect(rows[0]!.private_jwk_encrypted.split('.')).toHaveLength(5); // compact JWE
      expect(rows[0]!.private_jwk_encrypted).not.toContain('"d"');
      expect(rows[0]!.public_jwk).not.toHaveProperty('d');
    } finally {
      await auth.close();
    }
  });

  it('rotates with zero failed verifications: new key published first, used after the cache age', {
    timeout: 180_000,
  }, async () => {
    // The new key waits the cache age before it signs: 10 s leaves room, even on a loaded two-core machine
    // where one refresh can take seconds, to see tokens minted in between (the verifiers below cache for
    // 1 s, well inside it).
    const auth = await startAuthService({ jwksCacheMaxAgeSeconds: 10, keyRefreshIntervalSeconds: 1 });
    try {
      await auth.createUser({ email: 'rot@example.com', password: 'correct horse' });
      const first = await auth.signIn('rot@example.com', 'correct horse');
      const oldKid = decodeProtectedHeader(first.access_token).kid;
      // A verifier as the APIs build it: remote JWKS cached for the advertised cache age.
      const jwks = createRemoteJWKSet(new URL(`${auth.issuer}/jwks`), {
        cacheMaxAge: 1000,
        cooldownDuration: 0,
      });

      const { kid: newKid, activatesAt } = await auth.service.keyStore.rotate(
        rotationSchedule({ jwksCacheMaxAgeMs: 10_000, accessTokenTtl: 300 }),
      );
      const tokens = [first.access_token];
      const mintedBeforeActivation: string[] = [];
      let refreshToken = first.refresh_token!;
      let failures = 0;
      // Until the new key has signed a token (the instances reload keys every second), or give up.
      const deadline = activatesAt.getTime() + 30_000;
      const signedByNew = () => tokens.some((t) => decodeProtectedHeader(t).kid === newKid);
      while (!signedByNew() && Date.now() < deadline) {
        const refreshed = await auth.tokenRequest('user-web', {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
        });
        expect(refreshed.status).toBe(200);
        refreshToken = refreshed.body.refresh_token!;
        tokens.push(refreshed.body.access_token!);
        if (Date.now() < activatesAt.getTime()) mintedBeforeActivation.push(refreshed.body.access_token!);
        for (const token of tokens) {
          await jwtVerify(token, jwks, verifyOptions(auth.issuer)).catch(() => failures++);
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(failures).toBe(0);
      const kids = new Set(tokens.map((t) => decodeProtectedHeader(t).kid));
      expect(kids).toEqual(new Set([oldKid, newKid]));
      // The new key signed nothing before its activation time.
      expect(mintedBeforeActivation.length).toBeGreaterThan(0);
      expect(mintedBeforeActivation.map((t) => decodeProtectedHeader(t).kid)).toEqual(
        mintedBeforeActivation.map(() => oldKid),
      );
      // Now the new key signs and comes first; the old one stays published.
      const published = (await (await fetch(`${auth.issuer}/jwks`)).json()).keys.map(
        (k: { kid: string }) => k.kid,
      );
      expect(published).toEqual([newKid, oldKid]);
    } finally {
      await auth.close();
    }
  });

  it('keeps issued tokens valid across a restart', { timeout: 180_000 }, async () => {
    const redis = await createTestRedis('auth-restart');
    const auth = await startAuthService({ redis });
    const port = Number(new URL(auth.issuer).port);
    await auth.createUser({ email: 'restart@example.com', password: 'correct horse' });
    const tokens = await auth.signIn('restart@example.com', 'correct horse');
    await auth.close({ keepState: true });

    const again = await startAuthService({ redis, db: auth.db, port });
    try {
      const jwks = createRemoteJWKSet(new URL(`${again.issuer}/jwks`));
      await expect(jwtVerify(tokens.access_token, jwks, verifyOptions(again.issuer))).resolves.toBeDefined();
      const refreshed = await again.tokenRequest('user-web', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      });
      expect(refreshed.status).toBe(200);
    } finally {
      await again.close({ keepState: true });
      await (auth.db as typeof auth.db & { cleanup(): Promise<void> }).cleanup();
      await redis.cleanup();
    }
  });
});
