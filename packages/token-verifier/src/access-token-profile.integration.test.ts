import { createRevocationStore, type RevocationStore } from '@bff-auth/revocation';
import { parseEnv } from '@bff-auth/service-kit/env';
import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accessTokenEnvShape, accessTokenProfileFromEnv } from './access-token-env';
import {
  createIssuerKeys,
  createTokenFactory,
  type IssuerKeys,
  type JwksServer,
  startJwksServer,
  type TokenFactory,
} from './testing';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

const ISSUER = 'http://keycloak.test/realms/demo';
const AUDIENCE = 'user-api';

/** A Keycloak access token's shape: typ JWT, audience array, roles under realm_access, azp and no client_id. */
const keycloakClaims = (roles: unknown = ['admin', 'user']) => ({
  aud: [AUDIENCE, 'account'],
  realm_access: { roles },
  azp: 'user-web',
  client_id: undefined,
  roles: undefined,
});

describe('access-token profile: another provider by configuration (real JWKS server, real Redis)', () => {
  let t: TestRedis;
  let keys: IssuerKeys;
  let jwks: JwksServer;
  let revocation: RevocationStore;
  let tokens: TokenFactory;
  let keycloak: TokenVerifier;
  let ours: TokenVerifier;

  beforeAll(async () => {
    t = await createTestRedis('token-verifier-profile');
    keys = await createIssuerKeys();
    jwks = await startJwksServer([keys.rsa.publicJwk]);
    revocation = createRevocationStore({ redis: t.redis });
    tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: AUDIENCE });
    const base = { issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.jwksUrl, revocation };
    ours = createTokenVerifier(base);
    const env = parseEnv(z.object(accessTokenEnvShape), {
      ACCESS_TOKEN_TYPES: 'JWT',
      ACCESS_TOKEN_SINGLE_AUDIENCE: 'false',
      AUTH_ROLES_CLAIM: 'realm_access.roles',
    });
    keycloak = createTokenVerifier({ ...base, accessTokens: accessTokenProfileFromEnv(env).accessTokens });
  });

  afterAll(async () => {
    await jwks?.close();
    await t?.cleanup();
  });

  it('takes a Keycloak-shaped token once configured for it: typ JWT, aud array, realm_access.roles, azp', async () => {
    const token = await tokens.sign({ header: { typ: 'JWT' }, claims: keycloakClaims() });
    await expect(keycloak.verify(token)).resolves.toMatchObject({
      userId: 'user-1',
      roles: ['admin', 'user'],
      clientId: 'user-web',
    });
  });

  it('refuses the same token with the default profile (typ, audience array, no client_id)', async () => {
    const token = await tokens.sign({ header: { typ: 'JWT' }, claims: keycloakClaims() });
    await expect(ours.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
    const atJwt = await tokens.sign({ claims: { ...keycloakClaims(), client_id: 'user-web' } });
    await expect(ours.verify(atJwt)).rejects.toMatchObject({ code: 'invalid_token', reason: 'claim_types' });
  });

  it('reads roles only at the configured path: a top-level roles claim gives no roles', async () => {
    const token = await tokens.sign({
      header: { typ: 'JWT' },
      claims: { ...keycloakClaims(), realm_access: undefined, roles: ['admin'] },
    });
    await expect(keycloak.verify(token)).resolves.toMatchObject({ roles: [] });
  });

  it('refuses a token whose roles at the path are not a list of names, and one naming no client', async () => {
    const badRoles = await tokens.sign({ header: { typ: 'JWT' }, claims: keycloakClaims('admin') });
    await expect(keycloak.verify(badRoles)).rejects.toMatchObject({ reason: 'claim_types' });
    const noClient = await tokens.sign({
      header: { typ: 'JWT' },
      claims: { ...keycloakClaims(), azp: undefined },
    });
    await expect(keycloak.verify(noClient)).rejects.toMatchObject({ reason: 'claim_types' });
  });

  it('still refuses an audience array that does not name this API', async () => {
    const token = await tokens.sign({
      header: { typ: 'JWT' },
      claims: { ...keycloakClaims(), aud: ['admin-api', 'account'] },
    });
    await expect(keycloak.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('accepts each of several typ values (compared as jose does) and refuses any other', async () => {
    const both = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: jwks.jwksUrl,
      revocation,
      accessTokens: { types: ['at+jwt', 'JWT'] },
    });
    for (const typ of ['at+jwt', 'application/at+jwt', 'JWT', 'jwt']) {
      await expect(both.verify(await tokens.sign({ header: { typ } }))).resolves.toMatchObject({
        userId: 'user-1',
      });
    }
    for (const typ of ['id+jwt', 'logout+jwt', undefined]) {
      await expect(both.verify(await tokens.sign({ header: { typ } }))).rejects.toMatchObject({
        code: 'invalid_token',
        reason: 'typ',
      });
    }
  });

  it('lets a provider without jti through when jti is not required, and still checks its revocation keys', async () => {
    const lax = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: jwks.jwksUrl,
      revocation,
      accessTokens: { requiredClaims: ['exp', 'iat', 'sub'] },
    });
    const token = await tokens.sign({ claims: { sub: 'no-jti-user', jti: undefined } });
    await expect(ours.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(lax.verify(token)).resolves.toMatchObject({ userId: 'no-jti-user', jti: undefined });
    await revocation.setUserDisabled('no-jti-user', true);
    await expect(lax.verify(token)).rejects.toMatchObject({ code: 'token_revoked' });
  });

  it('refuses bad settings at start-up, naming the variable and the problem', () => {
    const schema = z.object(accessTokenEnvShape);
    expect(() => parseEnv(schema, { ACCESS_TOKEN_REQUIRED_CLAIMS: 'sub,exp' })).toThrow(
      /ACCESS_TOKEN_REQUIRED_CLAIMS: must include iat/,
    );
    expect(() => parseEnv(schema, { ACCESS_TOKEN_TYPES: 'at jwt' })).toThrow(/ACCESS_TOKEN_TYPES: "at jwt"/);
    expect(() => parseEnv(schema, { AUTH_ROLES_CLAIM: 'realm_access..roles' })).toThrow(
      /AUTH_ROLES_CLAIM: invalid claim path/,
    );
    expect(() => parseEnv(schema, { ACCESS_TOKEN_SINGLE_AUDIENCE: 'maybe' })).toThrow(
      /ACCESS_TOKEN_SINGLE_AUDIENCE: must be true or false/,
    );
    expect(() =>
      createTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        revocation,
        accessTokens: { rolesClaim: '__proto__' },
      }),
    ).toThrow('@bff-auth/token-verifier: option "accessTokens.rolesClaim"');
  });
});
