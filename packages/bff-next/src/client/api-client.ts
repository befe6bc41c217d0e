/** An error answer of a BFF route, with the envelope's stable `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string[]>,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiResult<T> {
  data: T;
  /** True when the BFF answered from its fallback cache because the API is down (X-BFF-Fallback). */
  stale: boolean;
}

const SAFE = new Set(['GET', 'HEAD']);

/**
 * Calls a route of this app's BFF (same origin; the session cookie goes along by itself). Adds the
 * CSRF header to state-changing calls and unwraps the envelope. A 401 sends the browser to sign-in.
 */
export async function apiFetch<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<ApiResult<T>> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (!SAFE.has(method)) headers['x-csrf'] = '1';
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The server could not be reached. Check your connection and try again.',
    );
  }
  const body = (await response.json().catch(() => null)) as
    | { status: 'success'; data: T }
    | {
        status: 'error';
        error: { code: string; message: string; requestId?: string; details?: Record<string, string[]> };
      }
    | null;
  if (response.ok && body?.status === 'success') {
    return { data: body.data, stale: response.headers.get('x-bff-fallback') === 'cache' };
  }
  const error = body?.status === 'error' ? body.error : undefined;
  if (response.status === 401 && typeof window !== 'undefined') {
    const returnTo = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  }
  throw new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `The request failed (${response.status}).`,
    error?.details,
    error?.requestId,
  );
}
