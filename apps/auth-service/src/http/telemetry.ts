import type Provider from 'oidc-provider';

/** First path segments that are fixed routes; anything else is labelled `/other` (bounded series). */
const KNOWN_SEGMENTS = new Set([
  '',
  'health',
  'ready',
  'metrics',
  'assets',
  'interaction',
  'password-reset',
  'internal',
  'auth',
  'token',
  'jwks',
  'me',
  'session',
  'request',
  '.well-known',
]);

/**
 * The route label of a request to the auth service: its first path segment (`/interaction/<uid>`
 * → `/interaction`), because provider and interaction paths carry uids that must not become series.
 */
export function routeLabel(path: string): string {
  const end = path.indexOf('/', 1);
  const segment = path.slice(1, end === -1 ? undefined : end);
  return KNOWN_SEGMENTS.has(segment) ? `/${segment}` : '/other';
}

/**
 * Counts refresh-token reuse: oidc-provider revokes the grant and fails the exchange with this
 * error_detail (never sent to clients), and has no dedicated event for it, so the grant error is the one place to see it.
 */
export function countRefreshReuse(provider: Provider, counter: { inc(): void }): void {
  provider.on('grant.error', (_ctx, error) => {
    if ((error as { error_detail?: string }).error_detail === 'refresh token already used') counter.inc();
  });
}
