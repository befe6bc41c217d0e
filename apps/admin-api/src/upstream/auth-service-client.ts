import { AppError } from '@bff-auth/service-kit/errors';
import type { z } from 'zod';
import {
  errorEnvelopeSchema,
  logoutResultSchema,
  type NewUser,
  type Session,
  sessionSchema,
  type User,
  type UserChange,
  type UserPage,
  userPageSchema,
  userSchema,
} from './auth-service-types';
import type { ClientCredentialsTokenSource } from './client-credentials';
import { fromFetchFailure, UpstreamError } from './upstream-error';

/** Deadline of one call to the auth service's internal API. */
export const AUTH_SERVICE_TIMEOUT_MS = 5_000;

/** Errors of the auth service a caller can act on; they are passed through with their code. */
const CALLER_ERRORS = new Set([400, 404, 409, 422]);

export interface AuthServiceClient {
  listUsers(
    query: { q?: string | undefined; page: number; pageSize: number },
    requestId: string,
  ): Promise<UserPage>;
  getUser(id: string, requestId: string): Promise<User>;
  createUser(user: NewUser, requestId: string): Promise<User>;
  updateUser(id: string, change: UserChange, requestId: string): Promise<User>;
  setDisabled(id: string, disabled: boolean, requestId: string): Promise<User>;
  logoutUser(id: string, requestId: string): Promise<{ revokedSessions: number }>;
  listSessions(id: string, requestId: string): Promise<Session[]>;
}

export interface AuthServiceClientOptions {
  /** e.g. http://localhost:8002/internal/v1 */
  baseUrl: string;
  tokens: ClientCredentialsTokenSource;
  timeoutMs?: number;
}

/**
 * The auth service's internal user-management API, called with admin-api's own client-credentials token.
 * 404/409/422 come back as AppErrors with the auth service's code; outages as UpstreamError (502/503/504).
 */
export function createAuthServiceClient({
  baseUrl,
  tokens,
  timeoutMs = AUTH_SERVICE_TIMEOUT_MS,
}: AuthServiceClientOptions): AuthServiceClient {
  const base = baseUrl.replace(/\/+$/, '');

  async function send(method: string, path: string, body: unknown, requestId: string, token: string) {
    try {
      return await fetch(`${base}${path}`, {
        method,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'x-request-id': requestId,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw fromFetchFailure(error);
    }
  }

  async function call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    requestId: string,
    body?: unknown,
  ): Promise<z.infer<S>> {
    let token = await tokens.getToken();
    let response = await send(method, path, body, requestId, token);
    if (response.status === 401) {
      // Our token was revoked or the signing key rotated: one fresh token, one retry.
      tokens.invalidate(token);
      token = await tokens.getToken();
      response = await send(method, path, body, requestId, token);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok) {
      const parsed = schema.safeParse((json as { data?: unknown } | undefined)?.data);
      if (!parsed.success) throw new UpstreamError('auth_service_error', parsed.error);
      return parsed.data;
    }
    const envelope = errorEnvelopeSchema.safeParse(json);
    if (CALLER_ERRORS.has(response.status) && envelope.success) {
      const { code, message, details } = envelope.data.error;
      throw new AppError(response.status, code, message ?? code, { details });
    }
    if (response.status === 401 || response.status === 403) {
      throw new UpstreamError('auth_service_rejected_credentials');
    }
    if (response.status === 503) throw new UpstreamError('auth_service_unavailable');
    throw new UpstreamError('auth_service_error', new Error(`auth service answered ${response.status}`));
  }

  const user = (id: string) => `/users/${encodeURIComponent(id)}`;

  return {
    listUsers({ q, page, pageSize }, requestId) {
      const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
      if (q) params.set('q', q);
      return call(userPageSchema, 'GET', `/users?${params}`, requestId);
    },
    getUser: (id, requestId) => call(userSchema, 'GET', user(id), requestId),
    createUser: (newUser, requestId) => call(userSchema, 'POST', '/users', requestId, newUser),
    updateUser: (id, change, requestId) => call(userSchema, 'PATCH', user(id), requestId, change),
    setDisabled: (id, disabled, requestId) =>
      call(userSchema, 'POST', `${user(id)}/${disabled ? 'disable' : 'enable'}`, requestId),
    logoutUser: (id, requestId) => call(logoutResultSchema, 'POST', `${user(id)}/logout`, requestId),
    listSessions: (id, requestId) => call(sessionSchema.array(), 'GET', `${user(id)}/sessions`, requestId),
  };
}
