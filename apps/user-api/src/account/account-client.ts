import { AppError } from '@bff-auth/service-kit/errors';
import {
  type ClientCredentialsTokenSource,
  fromFetchFailure,
  UpstreamError,
} from '@bff-auth/service-kit/upstream';
import { z } from 'zod';

/** Deadline of one call to the auth service's account API. */
export const ACCOUNT_API_TIMEOUT_MS = 5_000;

/** A provider session as the auth service describes it; parsing keeps only these fields. */
export const providerSessionSchema = z.object({
  sid: z.string(),
  clients: z.array(z.string()),
  clientSids: z.record(z.string(), z.string()),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  userAgent: z.string(),
});
export type ProviderSession = z.infer<typeof providerSessionSchema>;

const endedSchema = z.object({ endedSessions: z.number().int().nonnegative() });

export const twoStepStatusSchema = z.object({
  enabled: z.boolean(),
  recoveryCodesLeft: z.number().int().nonnegative(),
});
export type TwoStepStatus = z.infer<typeof twoStepStatusSchema>;
/** A started enrolment: the manual key, the `otpauth://` URI and its QR code (SVG, drawn by the auth service). */
export const twoStepEnrolmentSchema = z.object({
  manualKey: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});
export type TwoStepEnrolment = z.infer<typeof twoStepEnrolmentSchema>;
const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
const disabledSchema = z.object({ disabled: z.literal(true) });
const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string().optional(), details: z.unknown().optional() }),
});

export interface AccountClient {
  listSessions(userId: string, requestId: string): Promise<ProviderSession[]>;
  endSession(userId: string, sessionId: string, requestId: string): Promise<void>;
  endOtherSessions(userId: string, currentSid: string, requestId: string): Promise<{ endedSessions: number }>;
  changePassword(
    userId: string,
    change: { currentSid: string; currentPassword: string; newPassword: string },
    requestId: string,
  ): Promise<{ endedSessions: number }>;
  twoStepStatus(userId: string, requestId: string): Promise<TwoStepStatus>;
  beginTwoStep(userId: string, requestId: string): Promise<TwoStepEnrolment>;
  confirmTwoStep(userId: string, code: string, requestId: string): Promise<{ recoveryCodes: string[] }>;
  disableTwoStep(userId: string, code: string, requestId: string): Promise<{ disabled: true }>;
}

export interface AccountClientOptions {
  /** e.g. http://localhost:8002/internal/account/v1 */
  baseUrl: string;
  tokens: ClientCredentialsTokenSource;
  timeoutMs?: number;
}

/**
 * The auth service's self-service account API, called with user-api's own client-credentials token for
 * the user of the request (the `sub` of their verified token — the caller passes nothing else). A 4xx of
 * the auth service is the user's (404, 422, 429) and comes back as an AppError with the same status,
 * code and details; a refusal of user-api's own credentials and outages become UpstreamError (502/503/504).
 */
export function createAccountClient({
  baseUrl,
  tokens,
  timeoutMs = ACCOUNT_API_TIMEOUT_MS,
}: AccountClientOptions): AccountClient {
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
    listSessions: (userId, requestId) =>
      call(providerSessionSchema.array(), 'GET', `${user(userId)}/sessions`, requestId),
    async endSession(userId, sessionId, requestId) {
      await call(
        z.unknown(),
        'DELETE',
        `${user(userId)}/sessions/${encodeURIComponent(sessionId)}`,
        requestId,
      );
    },
    endOtherSessions: (userId, currentSid, requestId) =>
      call(endedSchema, 'POST', `${user(userId)}/sessions/end-others`, requestId, { currentSid }),
    changePassword: (userId, change, requestId) =>
      call(endedSchema, 'POST', `${user(userId)}/password`, requestId, change),
    twoStepStatus: (userId, requestId) =>
      call(twoStepStatusSchema, 'GET', `${user(userId)}/two-step`, requestId),
    beginTwoStep: (userId, requestId) =>
      call(twoStepEnrolmentSchema, 'POST', `${user(userId)}/two-step/enrolment`, requestId, {}),
    confirmTwoStep: (userId, code, requestId) =>
      call(recoveryCodesSchema, 'POST', `${user(userId)}/two-step/confirm`, requestId, { code }),
    disableTwoStep: (userId, code, requestId) =>
      call(disabledSchema, 'POST', `${user(userId)}/two-step/disable`, requestId, { code }),
  };
}
