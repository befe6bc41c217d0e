import { createHash, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { JWK } from 'jose';

/**
 * DPoP headers for a load generator calling an API directly: `Authorization: DPoP <token>` and a new
 * proof (RFC 9449) for every request, made synchronously (autocannon's request hook cannot wait), with
 * the key the token is bound to. An API refuses a proof it has seen, so one fixed header would not do.
 */
export function dpopHeaders(
  key: { privateKey: KeyObject; publicJwk: JWK },
  { method, url, accessToken }: { method: string; url: string; accessToken: string },
): () => Record<string, string> {
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk })).toString(
    'base64url',
  );
  const ath = createHash('sha256').update(accessToken).digest('base64url');
  const authorization = `DPoP ${accessToken}`;
  return () => {
    const claims = { htm: method, htu: url, ath, jti: randomUUID(), iat: Math.floor(Date.now() / 1000) };
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    return { authorization, dpop: `${input}.${signature.toString('base64url')}` };
  };
}
