import { AppError } from '@bff-auth/service-kit/errors';
import { z } from 'zod';
import { fromFetchFailure, UpstreamError } from './upstream-error';

/** Where a call's bearer token comes from: a client-credentials source, or an exchange for one subject. */
export interface CallTokens {
  getToken(): Promise<string>;
  /** The auth service refused `token`: the next getToken fetches a new one. */
  invalidate(token: string): void;
}

export interface AuthServiceCall {
  /** Passed on as `X-Request-ID`. */
  requestId: string;
  tokens: CallTokens;
  /** More request headers (e.g. admin-api's `X-Acting-Admin`). */
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
}

export interface AuthServiceCallerOptions {
  /** e.g. http://localhost:8002/internal/v1 */
  baseUrl: string;
  /** Deadline of one attempt. */
  timeoutMs: number;
}

/** Calls one of the auth service's APIs and returns the envelope's `data`, parsed. */
export type AuthServiceCaller = <S extends z.ZodType>(
  schema: S,
  method: string,
  path: string,
  call: AuthServiceCall,
) => Promise<z.infer<S>>;

const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string().optional(), details: z.unknown().optional() }),
});

/**
 * How admin-api and user-api call the auth service's internal APIs: bearer token, request id, JSON, no
 * redirects, a deadline. A 401 gets one new token and one retry (revoked token, rotated signing key). A
 * 4xx is the caller's (400, 404, 409, 422, 429) and comes back as an AppError with the same status, code
 * and details — never a 502, so a client error never counts as an upstream failure; a refusal of our
 * own token (401 again, 403) and outages become UpstreamError (502/503/504).
 */
export function createAuthServiceCaller({ baseUrl, timeoutMs }: AuthServiceCallerOptions): AuthServiceCaller {
  const base = baseUrl.replace(/\/+$/, '');

  async function send(method: string, path: string, call: AuthServiceCall, token: string) {
    try {
      return await fetch(`${base}${path}`, {
        method,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'x-request-id': call.requestId,
          ...call.headers,
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      });
    } catch (error) {
      throw fromFetchFailure(error);
    }
  }

  return async (schema, method, path, call) => {
    let token = await call.tokens.getToken();
    let response = await send(method, path, call, token);
    if (response.status === 401) {
      call.tokens.invalidate(token);
      token = await call.tokens.getToken();
      response = await send(method, path, call, token);
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
  };
}
