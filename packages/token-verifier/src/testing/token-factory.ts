import { randomUUID } from 'node:crypto';
import { type JWTHeaderParameters, SignJWT } from 'jose';
import type { TestKeyPair } from './keys';

export interface AccessTokenClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  client_id?: string;
  scope?: string;
  roles?: unknown;
  sid?: string;
  jti?: string;
  iat?: number;
  exp?: number;
  nbf?: number;
  name?: string;
  email?: string;
  [claim: string]: unknown;
}

export interface SignOptions {
  /** Claims to add or replace; a claim set to `undefined` is left out of the token. */
  claims?: AccessTokenClaims;
  /** Header parameters to add or replace (alg stays RS256 unless `key` says otherwise). */
  header?: Partial<JWTHeaderParameters> & Record<string, unknown>;
  /** Sign with another key (e.g. an attacker's). Default: the issuer's key. */
  key?: TestKeyPair;
}

export interface TokenFactory {
  /** A valid access token by default: RS256, typ at+jwt, kid, and every claim of SPEC §3. */
  sign(options?: SignOptions): Promise<string>;
  /** The claims a default token would carry, with fresh sid and jti. */
  defaultClaims(): Required<Pick<AccessTokenClaims, 'iss' | 'sub' | 'aud' | 'jti' | 'sid' | 'iat' | 'exp'>> &
    AccessTokenClaims;
}

export const nowSec = () => Math.floor(Date.now() / 1000);

/** Makes access tokens the way the auth service does, for tests that need valid and near-valid tokens. */
export function createTokenFactory({
  key,
  issuer,
  audience,
  subject = 'user-1',
  ttlSec = 300,
}: {
  key: TestKeyPair;
  issuer: string;
  audience: string;
  subject?: string;
  ttlSec?: number;
}): TokenFactory {
  const defaultClaims = () => {
    const iat = nowSec();
    return {
      iss: issuer,
      sub: subject,
      aud: audience,
      client_id: 'test-client',
      scope: 'openid profile',
      roles: ['user'],
      sid: `sid-${randomUUID()}`,
      jti: `jti-${randomUUID()}`,
      iat,
      exp: iat + ttlSec,
    };
  };
  return {
    defaultClaims,
    async sign({ claims = {}, header = {}, key: signer = key } = {}) {
      const payload: Record<string, unknown> = { ...defaultClaims(), ...claims };
      for (const name of Object.keys(payload)) if (payload[name] === undefined) delete payload[name];
      const protectedHeader = {
        alg: 'RS256',
        typ: 'at+jwt',
        kid: signer.kid,
        ...header,
      } as JWTHeaderParameters;
      for (const name of Object.keys(protectedHeader)) {
        if ((protectedHeader as Record<string, unknown>)[name] === undefined) {
          delete (protectedHeader as Record<string, unknown>)[name];
        }
      }
      return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(signer.privateKey);
    },
  };
}
