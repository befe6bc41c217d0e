import { randomUUID } from 'node:crypto';
import { failure, listen, success } from '@bff-auth/service-kit/http';
import { Hono } from 'hono';
import type { Session, User } from '../upstream/auth-service-types';

/**
 * A stand-in for the auth service's token endpoint and internal API, for admin-api's own tests.
 * Why not the real one: these tests are about admin-api's behaviour (token caching under concurrency,
 * audit entries, error mapping, outages) and need to count token requests and inject failures, which the
 * real auth service cannot do on demand. It follows the contract admin-api was built to; the end-to-end
 * tests (e2e.integration.test.ts) run against the real auth service through its test harness.
 */
export interface FakeAuthService {
  issuer: string;
  tokenUrl: string;
  internalUrl: string;
  internalResource: string;
  clientId: string;
  clientSecret: string;
  /** POST /token calls so far, and the form parameters of the last one. */
  readonly tokenRequests: number;
  readonly lastTokenParams: URLSearchParams | undefined;
  /** Seconds of validity of issued tokens. */
  tokenLifetimeSec: number;
  /** Subject tokens the token exchange refuses with invalid_grant (revoked, role gone). */
  refusedSubjects: Set<string>;
  /** Milliseconds the token endpoint waits before answering (makes concurrency observable). */
  tokenDelayMs: number;
  /** When set, the internal API answers every call with this status. */
  failWith: number | undefined;
  /** The `X-Acting-Admin` of every call so far, in order (changes without one are refused with 422). */
  readonly actors: string[];
  users: Map<string, User>;
  sessions: Map<string, Session[]>;
  /** Forgets every issued token, as a restarted auth service would. */
  revokeIssuedTokens(): void;
  addUser(user: Partial<User> & { email: string }): User;
  close(): Promise<void>;
}

export async function startFakeAuthService(): Promise<FakeAuthService> {
  const clientId = 'admin-api';
  const clientSecret = 'test-admin-api-secret';
  const issued = new Set<string>();
  const app = new Hono();
  let url = '';

  const state: FakeAuthService = {
    issuer: '',
    tokenUrl: '',
    internalUrl: '',
    internalResource: '',
    clientId,
    clientSecret,
    tokenRequests: 0,
    lastTokenParams: undefined,
    tokenLifetimeSec: 300,
    refusedSubjects: new Set(),
    tokenDelayMs: 50,
    failWith: undefined,
    actors: [],
    users: new Map(),
    sessions: new Map(),
    revokeIssuedTokens: () => issued.clear(),
    addUser(partial) {
      const now = new Date().toISOString();
      const user: User = {
        id: randomUUID(),
        name: partial.email.split('@')[0] ?? '',
        roles: ['user'],
        disabled: false,
        createdAt: now,
        updatedAt: now,
        lastSignInAt: null,
        ...partial,
      };
      state.users.set(user.id, user);
      return user;
    },
    close: async () => {},
  };
  const mutable = state as { tokenRequests: number; lastTokenParams: URLSearchParams | undefined };

  app.post('/token', async (c) => {
    mutable.tokenRequests++;
    const params = new URLSearchParams(await c.req.text());
    mutable.lastTokenParams = params;
    await new Promise((r) => setTimeout(r, state.tokenDelayMs));
    if (!checkBasicAuth(c.req.header('authorization'), clientId, clientSecret)) {
      return c.json({ error: 'invalid_client', error_description: 'client authentication failed' }, 401);
    }
    // admin-api exchanges the admin's token (RFC 8693; the real checks are the auth service's own tests);
    // client credentials stay for the service-kit token source's tests.
    const grantType = params.get('grant_type');
    if (grantType === 'urn:ietf:params:oauth:grant-type:token-exchange') {
      const subject = params.get('subject_token');
      if (!subject || params.get('subject_token_type') !== 'urn:ietf:params:oauth:token-type:access_token') {
        return c.json({ error: 'invalid_request' }, 400);
      }
      if (state.refusedSubjects.has(subject)) return c.json({ error: 'invalid_grant' }, 400);
    } else if (grantType !== 'client_credentials') {
      return c.json({ error: 'unsupported_grant_type' }, 400);
    }
    const token = `${grantType === 'client_credentials' ? 'cc' : 'tx'}-${randomUUID()}`;
    issued.add(token);
    return c.json({ access_token: token, token_type: 'Bearer', expires_in: state.tokenLifetimeSec });
  });

  const internal = new Hono();
  internal.use(async (c, next) => {
    c.set('requestId', c.req.header('x-request-id') ?? 'none');
    if (state.failWith) return failure(c, state.failWith as 500, 'injected', 'injected failure');
    const token = c.req.header('authorization')?.replace(/^Bearer /, '');
    if (!token || !issued.has(token)) return failure(c, 401, 'invalid_token', 'unknown token');
    const actor = c.req.header('x-acting-admin');
    if (actor) state.actors.push(actor);
    if (!actor && c.req.method !== 'GET') {
      return failure(c, 422, 'validation_failed', 'The request is invalid', {
        'x-acting-admin': ['Name the acting admin'],
      });
    }
    await next();
  });
  const find = (id: string) => state.users.get(id);
  const notFound = (c: Parameters<typeof failure>[0]) => failure(c, 404, 'user_not_found', 'No such user');

  internal.get('/users', (c) => {
    const q = (c.req.query('q') ?? '').toLowerCase();
    const page = Number(c.req.query('page') ?? 1);
    const pageSize = Number(c.req.query('pageSize') ?? 20);
    const all = [...state.users.values()].filter(
      (u) => !q || u.email.includes(q) || (u.name ?? '').toLowerCase().includes(q),
    );
    return success(c, {
      items: all.slice((page - 1) * pageSize, page * pageSize),
      page,
      pageSize,
      total: all.length,
    });
  });
  internal.post('/users', async (c) => {
    const body = await c.req.json();
    if ([...state.users.values()].some((u) => u.email === body.email)) {
      return failure(c, 409, 'email_taken', 'A user with this email exists');
    }
    if (String(body.password).length < 10) {
      return failure(c, 422, 'validation_failed', 'The request is invalid', { password: ['Too weak'] });
    }
    return success(
      c,
      { ...state.addUser({ email: body.email, name: body.name, roles: body.roles }), passwordHash: 'x' },
      201,
    );
  });
  internal.get('/users/:id', (c) => {
    const user = find(c.req.param('id'));
    return user ? success(c, user) : notFound(c);
  });
  internal.patch('/users/:id', async (c) => {
    const user = find(c.req.param('id'));
    if (!user) return notFound(c);
    const change = await c.req.json();
    Object.assign(user, change, { updatedAt: new Date().toISOString() });
    return success(c, user);
  });
  for (const verb of ['disable', 'enable'] as const) {
    internal.post(`/users/:id/${verb}`, (c) => {
      const user = find(c.req.param('id'));
      if (!user) return notFound(c);
      user.disabled = verb === 'disable';
      return success(c, user);
    });
  }
  internal.post('/users/:id/logout', (c) => {
    if (!find(c.req.param('id'))) return notFound(c);
    const revokedSessions = state.sessions.get(c.req.param('id'))?.length ?? 0;
    state.sessions.delete(c.req.param('id'));
    return success(c, { revokedSessions });
  });
  internal.post('/users/:id/password-reset', (c) =>
    find(c.req.param('id')) ? success(c, { sent: true }) : notFound(c),
  );
  internal.post('/users/:id/require-password-change', (c) =>
    find(c.req.param('id')) ? success(c, { passwordChangeRequired: true }) : notFound(c),
  );
  internal.get('/users/:id/sessions', (c) =>
    find(c.req.param('id')) ? success(c, state.sessions.get(c.req.param('id')) ?? []) : notFound(c),
  );
  app.route('/internal/v1', internal);

  const server = await listen(app, { port: 0 });
  url = server.url;
  return Object.assign(state, {
    issuer: url,
    tokenUrl: `${url}/token`,
    internalUrl: `${url}/internal/v1`,
    internalResource: `${url}/internal`,
    close: () => server.close(),
  });
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by ':' and base64-encoded. */
function checkBasicAuth(header: string | undefined, clientId: string, clientSecret: string): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString();
  const colon = decoded.indexOf(':');
  const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  return (
    formDecode(decoded.slice(0, colon)) === clientId && formDecode(decoded.slice(colon + 1)) === clientSecret
  );
}
