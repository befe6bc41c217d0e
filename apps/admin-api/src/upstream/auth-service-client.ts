import { AppError } from '@bff-auth/service-kit/errors';
import type { z } from 'zod';
import {
  errorEnvelopeSchema,
  logoutResultSchema,
  type NewUser,
  passwordChangeRequiredSchema,
  passwordResetSentSchema,
  type Session,
  sessionSchema,
  type User,
  type UserChange,
  type UserPage,
  userPageSchema,
  userSchema,
} from './auth-service-types';
import type { TokenExchangeSource } from './client-credentials';
import { fromFetchFailure, UpstreamError } from './upstream-error';

/** Deadline of one call to the auth service's internal API. */
export const AUTH_SERVICE_TIMEOUT_MS = 5_000;

/**
 * The header naming the admin a change is made for. The exchanged token names the admin already (its
 * `sub`); the auth service refuses a header that names someone else.
 */
export const ACTING_ADMIN_HEADER = 'x-acting-admin';

/** Whose request a call serves: passed on so the auth service can audit and apply the admin rules. */
export interface CallContext {
  requestId: string;
  /** The verified `sub` of the admin's access token. */
  actorId: string;
  /** The admin's verified access token, exchanged for the call's token (RFC 8693). */
  subjectToken: string;
}

export interface AuthServiceClient {
  listUsers(
    query: { q?: string | undefined; page: number; pageSize: number },
    ctx: CallContext,
  ): Promise<UserPage>;
  getUser(id: string, ctx: CallContext): Promise<User>;
  createUser(user: NewUser, ctx: CallContext): Promise<User>;
  updateUser(id: string, change: UserChange, ctx: CallContext): Promise<User>;
  setDisabled(id: string, disabled: boolean, ctx: CallContext): Promise<User>;
  logoutUser(id: string, ctx: CallContext): Promise<{ revokedSessions: number }>;
  /** Mails the user a password reset link (the auth service audits it with the link). */
  sendPasswordReset(id: string, ctx: CallContext): Promise<{ sent: true }>;
  /** The user's next sign-in asks for a new password before it finishes. */
  requirePasswordChange(id: string, ctx: CallContext): Promise<{ passwordChangeRequired: true }>;
  listSessions(id: string, ctx: CallContext): Promise<Session[]>;
}

export interface AuthServiceClientOptions {
  /** e.g. http://localhost:8002/internal/v1 */
  baseUrl: string;
  /** Exchanges the admin's token for an internal-API token naming admin-api as the actor. */
  tokens: TokenExchangeSource;
  timeoutMs?: number;
}

/**
 * The auth service's internal user-management API, called with a token exchanged from the acting admin's
 * own (RFC 8693: `sub` the admin, `act` admin-api — SPEC §13), naming the request id. An admin the auth
 * service will no longer act for (token revoked, role gone) gets 403 `auth_service_refused_subject`. A 4xx of the auth service is the caller's (400, 404, 409,
 * 422…) and comes back as an AppError with the same status and code — never a 502, so a client error never
 * counts as an upstream failure; only a refusal of admin-api's own credentials (401/403) and outages
 * become UpstreamError (502/503/504).
 */
export function createAuthServiceClient({
  baseUrl,
  tokens,
  timeoutMs = AUTH_SERVICE_TIMEOUT_MS,
}: AuthServiceClientOptions): AuthServiceClient {
  const base = baseUrl.replace(/\/+$/, '');

  async function send(method: string, path: string, body: unknown, ctx: CallContext, token: string) {
    try {
      return await fetch(`${base}${path}`, {
        method,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'x-request-id': ctx.requestId,
          [ACTING_ADMIN_HEADER]: ctx.actorId,
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
    ctx: CallContext,
    body?: unknown,
  ): Promise<z.infer<S>> {
    let token = await tokens.getToken(ctx.subjectToken);
    let response = await send(method, path, body, ctx, token);
    if (response.status === 401) {
      // The exchanged token was revoked or the signing key rotated: one fresh exchange, one retry.
      tokens.invalidate(ctx.subjectToken, token);
      token = await tokens.getToken(ctx.subjectToken);
      response = await send(method, path, body, ctx, token);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok) {
      const parsed = schema.safeParse((json as { data?: unknown } | undefined)?.data);
      if (!parsed.success) throw new UpstreamError('auth_service_error', parsed.error);
      return parsed.data;
    }
    if (response.status === 401 || response.status === 403) {
      throw new UpstreamError('auth_service_rejected_credentials');
    }
    if (response.status >= 400 && response.status < 500) {
      const envelope = errorEnvelopeSchema.safeParse(json);
      if (!envelope.success) {
        throw new AppError(response.status, 'request_refused', 'The auth service refused the request');
      }
      const { code, message, details } = envelope.data.error;
      throw new AppError(response.status, code, message ?? code, { details });
    }
    if (response.status === 503) throw new UpstreamError('auth_service_unavailable');
    throw new UpstreamError('auth_service_error', new Error(`auth service answered ${response.status}`));
  }

  const user = (id: string) => `/users/${encodeURIComponent(id)}`;

  return {
    listUsers({ q, page, pageSize }, ctx) {
      const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
      if (q) params.set('q', q);
      return call(userPageSchema, 'GET', `/users?${params}`, ctx);
    },
    getUser: (id, ctx) => call(userSchema, 'GET', user(id), ctx),
    createUser: (newUser, ctx) => call(userSchema, 'POST', '/users', ctx, newUser),
    updateUser: (id, change, ctx) => call(userSchema, 'PATCH', user(id), ctx, change),
    setDisabled: (id, disabled, ctx) =>
      call(userSchema, 'POST', `${user(id)}/${disabled ? 'disable' : 'enable'}`, ctx),
    logoutUser: (id, ctx) => call(logoutResultSchema, 'POST', `${user(id)}/logout`, ctx),
    sendPasswordReset: (id, ctx) => call(passwordResetSentSchema, 'POST', `${user(id)}/password-reset`, ctx),
    requirePasswordChange: (id, ctx) =>
      call(passwordChangeRequiredSchema, 'POST', `${user(id)}/require-password-change`, ctx),
    listSessions: (id, ctx) => call(sessionSchema.array(), 'GET', `${user(id)}/sessions`, ctx),
  };
}
