import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProofKeyCache } from './proof-key-cache';

const ecKey = async () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
};
const header = (jwk: JWK, alg = 'ES256') => ({ alg, typ: 'dpop+jwt', jwk });

describe('proof key cache', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('imports a key once, and gives its public key and thumbprint to every proof that names it', async () => {
    const { publicJwk } = await ecKey();
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const proofKey = createProofKeyCache();
    const first = await proofKey(header(publicJwk));
    // Each proof's header is a new object parsed from its own JSON.
    const again = await proofKey(header(JSON.parse(JSON.stringify(publicJwk))));
    expect(importKey).toHaveBeenCalledTimes(1);
    expect(again.key).toBe(first.key);
    expect(first.key.type).toBe('public');
    expect(first.jkt).toBe(await calculateJwkThumbprint(publicJwk, 'sha256'));
  });

  it('refuses a private key in the header, even when its public half is already known', async () => {
    const { publicJwk, privateJwk } = await ecKey();
    const proofKey = createProofKeyCache();
    await proofKey(header(publicJwk));
    await expect(proofKey(header(privateJwk))).rejects.toThrow(/public key/);
    // And a refusal is not remembered as a key.
    await expect(proofKey(header(privateJwk))).rejects.toThrow(/public key/);
  });

  it('reads a key again under another algorithm (the algorithm is part of what was checked)', async () => {
    const { publicJwk } = await ecKey();
    const proofKey = createProofKeyCache();
    await expect(proofKey(header(publicJwk))).resolves.toMatchObject({ key: { type: 'public' } });
    await expect(proofKey(header(publicJwk, 'RS256'))).rejects.toThrow();
  });

  it('holds at most `max` keys, dropping the least recently used', async () => {
    const keys = await Promise.all([ecKey(), ecKey(), ecKey()]);
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const proofKey = createProofKeyCache({ max: 2 });
    for (const { publicJwk } of keys) await proofKey(header(publicJwk));
    expect(importKey).toHaveBeenCalledTimes(3);
    await proofKey(header(keys[2]!.publicJwk));
    await proofKey(header(keys[1]!.publicJwk));
    expect(importKey).toHaveBeenCalledTimes(3);
    await proofKey(header(keys[0]!.publicJwk)); // pushed out by the third
    expect(importKey).toHaveBeenCalledTimes(4);
  });
});
