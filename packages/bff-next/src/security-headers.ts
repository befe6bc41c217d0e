/**
 * The Content-Security-Policy of a page, for proxy.ts: scripts only with this response's nonce (Next
 * puts it on its own inline bootstrap and chunk scripts when it finds it in the request's CSP header),
 * and what those load (`'strict-dynamic'`). No `'unsafe-inline'` for scripts; styles keep it (React
 * and Next write style attributes). `'unsafe-eval'` only in development (React's dev tooling).
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV !== 'production'): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The CSP of every response that is not a page (route handlers, assets): nothing may run or frame it. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** A fresh nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Response headers of every page and route (SPEC §5); the pages' CSP comes from proxy.ts (a nonce per
 * response), see contentSecurityPolicy. Nothing is loaded from another origin and nothing can frame us.
 */
export function securityHeaders() {
  return [
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'same-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ];
}

/**
 * Every header a route under `/api/` answers with: securityHeaders() and the non-page CSP. next.config
 * sets them on the routes Next serves (bffNextConfig) and the fast lane on the ones it serves; a
 * header the handler set itself (the sign-in hop page's CSP) wins in both.
 */
export function apiResponseHeaders() {
  return [...securityHeaders(), { key: 'Content-Security-Policy', value: NON_PAGE_CSP }];
}
