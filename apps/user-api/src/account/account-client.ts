import { type ClientCredentialsTokenSource, createAuthServiceCaller } from '@bff-auth/service-kit/upstream';
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
  const caller = createAuthServiceCaller({ baseUrl, timeoutMs });
  const call = <S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    requestId: string,
    body?: unknown,
  ): Promise<z.infer<S>> => caller(schema, method, path, { requestId, tokens, body });

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
