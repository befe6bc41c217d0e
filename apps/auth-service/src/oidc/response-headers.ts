import type Provider from 'oidc-provider';

type ProviderMiddleware = Parameters<Provider['use']>[0];

/** Seconds a client or shared cache may keep the discovery document. */
export const DISCOVERY_MAX_AGE_SECONDS = 300;

/**
 * Headers on every response of the provider (Koa middleware, `provider.use`):
 * - never framable (SPEC §4.4): `X-Frame-Options: DENY`, and `frame-ancestors 'none'` added to whatever
 *   Content-Security-Policy the page already has (oidc-provider's own form_post pages set none at all);
 * - `Referrer-Policy: no-referrer`, so no query string of ours (a logout hint, a code) leaks onwards;
 * - discovery and JWKS are cacheable: discovery for DISCOVERY_MAX_AGE_SECONDS, the JWKS for the JWKS
 *   cache age that key rotation waits out before a new key signs (so a cached copy is never missing it).
 */
export function providerResponseHeaders({
  jwksMaxAgeSeconds,
}: {
  jwksMaxAgeSeconds: number;
}): ProviderMiddleware {
  return async (ctx, next) => {
    await next();
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    const csp = ctx.response.get('Content-Security-Policy');
    if (!csp) ctx.set('Content-Security-Policy', "frame-ancestors 'none'");
    else if (!/frame-ancestors/.test(csp))
      ctx.set('Content-Security-Policy', `${csp}; frame-ancestors 'none'`);
    if (ctx.status !== 200) return;
    if (ctx.path === '/.well-known/openid-configuration') {
      ctx.set('Cache-Control', `public, max-age=${DISCOVERY_MAX_AGE_SECONDS}`);
    } else if (ctx.path === '/jwks') {
      ctx.set('Cache-Control', `public, max-age=${jwksMaxAgeSeconds}`);
    }
  };
}
