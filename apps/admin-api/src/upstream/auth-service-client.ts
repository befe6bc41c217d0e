import { createAuthServiceCaller } from '@bff-auth/service-kit/upstream';
import type { z } from 'zod';
import {
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
 * own (RFC 8693: `sub` the admin, `act` admin-api — SPEC §13), naming the request id; service-kit's
 * `createAuthServiceCaller` does the HTTP and the error mapping (a 4xx is the caller's, never a 502). An
 * admin the auth service will no longer act for (token revoked, role gone) gets 403
 * `auth_service_refused_subject`.
 */
export function createAuthServiceClient({
  baseUrl,
  tokens,
  timeoutMs = AUTH_SERVICE_TIMEOUT_MS,
}: AuthServiceClientOptions): AuthServiceClient {
  const caller = createAuthServiceCaller({ baseUrl, timeoutMs });
  const call = <S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    ctx: CallContext,
    body?: unknown,
  ): Promise<z.infer<S>> =>
    caller(schema, method, path, {
      requestId: ctx.requestId,
      tokens: tokens.forSubject(ctx.subjectToken),
      headers: { [ACTING_ADMIN_HEADER]: ctx.actorId },
      body,
    });

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
