import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/** Test helpers: an RSA key pair and JWTs shaped like the auth service's. Not exported by the package. */
export async function testKeys() {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, publicKey, kid: 'test-key-1' };
}

export function twentyRoles(): string[] {
  return Array.from({ length: 20 }, (_, i) => `application-role-${String(i + 1).padStart(2, '0')}`);
}

export async function signJwt(
  key: CryptoKey,
  payload: JWTPayload,
  { typ = 'JWT', kid = 'test-key-1', expiresInSeconds = 300 } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ, kid })
    .setIssuedAt(now)
    .setExpirationTime(now + expiresInSeconds)
    .sign(key);
}
