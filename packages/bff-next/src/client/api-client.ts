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

/** The envelope code of an API that wants a newer or stronger sign-in first (RFC 9470 step-up). */
export const STEP_UP_REQUIRED = 'step_up_required';

/**
 * Where a step-up sign-in starts: the BFF's login with the API's `max_age` and `acr_values` (from the
 * error's details) and the current page as `returnTo`, so the person comes back to where they were.
 */
export function stepUpLoginHref(details: Record<string, string[]> | undefined, returnTo: string): string {
  const query = new URLSearchParams({ returnTo });
  const maxAge = details?.max_age?.[0];
  const acrValues = details?.acr_values?.join(' ');
  if (maxAge) query.set('max_age', maxAge);
  if (acrValues) query.set('acr_values', acrValues);
  return `/api/auth/login?${query}`;
}

/**
 * Calls a route of this app's BFF (same origin; the session cookie goes along by itself). Adds the
 * CSRF header to state-changing calls and unwraps the envelope. A 401 sends the browser to sign-in; a
 * 403 `step_up_required` sends it to sign in again as the API asked (then back to this page, where the
 * person repeats the action — it is never replayed on its own).
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
  if (response.status === 403 && error?.code === STEP_UP_REQUIRED && typeof window !== 'undefined') {
    window.location.assign(
      stepUpLoginHref(error.details, `${window.location.pathname}${window.location.search}`),
    );
  }
  throw new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `The request failed (${response.status}).`,
    error?.details,
    error?.requestId,
  );
}
