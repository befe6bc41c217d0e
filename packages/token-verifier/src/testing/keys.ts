import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';

export interface TestKeyPair {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Public JWK with kid, alg and use, as a JWKS publishes it. */
  publicJwk: JWK;
  /** SPKI PEM of the public key (what an HS256 key-confusion attack signs with). */
  publicPem: string;
}

/** An RSA 2048 signing key pair for RS256. */
export async function createRsaKeyPair(kid: string): Promise<TestKeyPair> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return toPair(kid, 'RS256', privateKey, publicKey);
}

/** A P-256 key pair (ES256), published next to the RSA key so a psychic-signature token finds a key. */
export async function createEcKeyPair(kid: string): Promise<TestKeyPair> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return toPair(kid, 'ES256', privateKey, publicKey);
}

async function toPair(kid: string, alg: string, privateKey: KeyObject, publicKey: KeyObject) {
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { kid, privateKey, publicKey, publicJwk, publicPem };
}

/** The issuer's keys in tests: the RS256 signing key and an EC key that must never be accepted. */
export interface IssuerKeys {
  rsa: TestKeyPair;
  ec: TestKeyPair;
}

export async function createIssuerKeys(prefix = 'test'): Promise<IssuerKeys> {
  return { rsa: await createRsaKeyPair(`${prefix}-rs256`), ec: await createEcKeyPair(`${prefix}-es256`) };
}
