import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { dpopSigner, generateDpopKey } from './dpop-key';

describe('DPoP proofs of a session key', () => {
  it('makes proofs that jose verifies as RFC 9449 proofs of the session key', async () => {
    const signer = dpopSigner(await generateDpopKey());
    const token = 'the-access-token';
    const before = Math.floor(Date.now() / 1000);
    const proof = signer.proof('GET', 'https://api.example/v1/me', token);
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toMatchObject({
      alg: 'ES256',
      typ: 'dpop+jwt',
      jwk: { kty: 'EC', crv: 'P-256' },
    });
    expect(protectedHeader.jwk).not.toHaveProperty('d');
    expect(await calculateJwkThumbprint(protectedHeader.jwk!, 'sha256')).toBe(await signer.jkt);
    expect(payload).toMatchObject({
      htm: 'GET',
      htu: 'https://api.example/v1/me',
      ath: createHash('sha256').update(token).digest('base64url'),
    });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('gives every proof its own jti, and hashes a new token when the session refreshed', async () => {
    const signer = dpopSigner(await generateDpopKey());
    const claims = (proof: string) =>
      JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString()) as Record<string, string>;
    const a = claims(signer.proof('GET', 'https://api.example/x', 'token-1'));
    const b = claims(signer.proof('GET', 'https://api.example/x', 'token-1'));
    const c = claims(signer.proof('POST', 'https://api.example/x', 'token-2'));
    expect(new Set([a.jti, b.jti, c.jti]).size).toBe(3);
    expect(a.ath).toBe(b.ath);
    expect(c.ath).toBe(createHash('sha256').update('token-2').digest('base64url'));
    expect(c.htm).toBe('POST');
  });

  it('signs with the key of the session it was made for', async () => {
    const [one, two] = await Promise.all([generateDpopKey(), generateDpopKey()]);
    const proof = dpopSigner(one).proof('GET', 'https://api.example/x', 't');
    expect(decodeProtectedHeader(proof).jwk).toMatchObject({ x: one.x, y: one.y });
    expect(decodeProtectedHeader(proof).jwk).not.toMatchObject({ x: two.x });
  });
});
