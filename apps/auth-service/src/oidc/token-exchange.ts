import { randomUUID } from 'node:crypto';
import { type RevocationStore, RevocationUnavailableError } from '@bff-auth/revocation';
// RFC 8693's URNs as the clients (admin-api) send them: the access token type is the only one
// exchanged here, and the one issued.
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '@bff-auth/service-kit/upstream';
import { createLocalJWKSet, importJWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { KeySet } from '../keys/key-store';
import type { UserStore } from '../users/user-store';
import type { ResourceServerDefinition, Resources } from './resources';

/**
 * Longest life of an exchanged token. It is asked for per admin request and used at once; it never
 * outlives the admin's own token either.
 */
export const EXCHANGED_TOKEN_MAX_TTL_SECONDS = 60;

/** Who may exchange what: a client acting for users of its own API, towards one resource. */
export interface Delegation {
  /** The acting client (authenticated at the token endpoint), e.g. `admin-api`. */
  clientId: string;
  /** The `aud` the subject token must name: the acting client's own API (`admin-api`). */
  subjectAudience: string;
  /** The audience the exchanged token is for (`auth-internal`). */
  targetAudience: string;
  /** A role the subject must hold now (not only when the token was issued), e.g. `admin`. */
  requiredRole: string;
}

export interface TokenExchangeOptions {
  issuer: string;
  keys: KeySet;
  resources: Resources;
  users: Pick<UserStore, 'findById'>;
  revocation: Pick<RevocationStore, 'inspect'>;
  delegations: readonly Delegation[];
}

const PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
];

const invalidGrant = (why: string) => new errors.InvalidGrant(why);

/**
 * Token exchange (RFC 8693) for our services acting for a signed-in user: admin-api trades the acting
 * admin's access token (for admin-api) for a short-lived token for the internal API whose `sub` is the
 * admin and whose `act` claim names admin-api — so the auth service knows who and through what (SPEC
 * §13), from a token it signed itself, not from a header.
 *
 * Refused: a client with no delegation (oidc-provider refuses first: the grant type is not among its
 * `grant_types`), a subject token that is not our valid, unrevoked access token for the client's own
 * API or whose user lacks the role now (`invalid_grant`), a target other than the delegation's
 * (`invalid_target`), an `actor_token` (the authenticated client is the actor) or another token type
 * (`invalid_request`).
 */
export function installTokenExchange(provider: Provider, options: TokenExchangeOptions) {
  const { issuer, keys, resources, users, revocation } = options;
  const delegations = new Map(options.delegations.map((d) => [d.clientId, d]));
  const jwks = createLocalJWKSet({ keys: keys.published.map((k) => k.publicJwk) });
  const signingKey = importJWK(keys.signing.privateJwk, 'RS256');

  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT_TYPE,
    async (ctx) => {
      const { client, params } = ctx.oidc;
      const delegation = client ? delegations.get(client.clientId) : undefined;
      if (!client || !delegation) throw new errors.UnauthorizedClient('this client may not exchange tokens');
      const p = params as Record<string, string | undefined>;
      if (p.actor_token !== undefined || p.actor_token_type !== undefined) {
        throw new errors.InvalidRequest('actor_token is not accepted: the authenticated client is the actor');
      }
      if (p.subject_token_type !== ACCESS_TOKEN_TYPE) {
        throw new errors.InvalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
      }
      if (p.requested_token_type !== undefined && p.requested_token_type !== ACCESS_TOKEN_TYPE) {
        throw new errors.InvalidRequest(`requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
      }
      if (!p.subject_token) throw new errors.InvalidRequest('subject_token is required');
      const target = targetOf(p, delegation, client.clientId);

      let subject: JWTPayload;
      try {
        ({ payload: subject } = await jwtVerify(p.subject_token, jwks, {
          algorithms: ['RS256'],
          issuer,
          audience: delegation.subjectAudience,
          typ: 'at+jwt',
          requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id'],
          clockTolerance: 5,
        }));
      } catch {
        throw invalidGrant('subject_token is not a valid access token for this client’s API');
      }
      const userId = subject.sub!;
      // A client-credentials token names a client, not a person: nobody to act for.
      if (userId === subject.client_id) throw invalidGrant('subject_token does not name a user');
      const sid = typeof subject.sid === 'string' ? subject.sid : undefined;
      let revoked: string | null;
      try {
        ({ reason: revoked } = await revocation.inspect({
          userId,
          sid,
          jti: subject.jti,
          issuedAt: subject.iat!,
        }));
      } catch (error) {
        // Fail closed; answerOutagesWith503 turns the Redis outage into 503 temporarily_unavailable.
        throw error instanceof RevocationUnavailableError ? (error.cause ?? error) : error;
      }
      if (revoked) throw invalidGrant('subject_token was revoked');
      const user = await users.findById(userId);
      if (!user || user.disabled || !user.roles.includes(delegation.requiredRole)) {
        throw invalidGrant('the subject may not act through this client');
      }

      const now = Math.floor(Date.now() / 1000);
      const exp = Math.min(subject.exp!, now + EXCHANGED_TOKEN_MAX_TTL_SECONDS);
      const accessToken = await new SignJWT({
        client_id: client.clientId,
        scope: target.scope,
        // RFC 8693 §4.1: the party acting for the subject.
        act: { sub: client.clientId },
        ...(sid ? { sid } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: keys.signing.kid })
        .setIssuer(issuer)
        .setSubject(userId)
        .setAudience(target.audience)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(await signingKey);
      ctx.body = {
        access_token: accessToken,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        expires_in: exp - now,
        scope: target.scope,
      };
    },
    PARAMETERS,
  );

  /** The one target of the exchange: `resource` (a URI), `audience` (its name) or the client's default. */
  function targetOf(
    p: Record<string, string | undefined>,
    delegation: Delegation,
    clientId: string,
  ): ResourceServerDefinition {
    let target: ResourceServerDefinition | undefined;
    try {
      const indicator = p.resource ?? resources.defaultFor(clientId);
      target = indicator ? resources.resolve(indicator, clientId) : undefined;
    } catch {
      target = undefined;
    }
    if (!target || target.audience !== delegation.targetAudience) {
      throw new errors.InvalidTarget('this client may exchange tokens only for its delegated resource');
    }
    if (p.audience !== undefined && p.audience !== target.audience) {
      throw new errors.InvalidTarget('audience does not match the delegated resource');
    }
    if (p.scope !== undefined && p.scope !== target.scope) {
      throw new errors.InvalidScope('only the delegated resource’s scope can be asked for', target.scope);
    }
    return target;
  }
}
