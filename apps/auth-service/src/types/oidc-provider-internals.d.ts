/** The one oidc-provider internal we reach into (see oidc/refresh-reuse-grace.ts for why). */
declare module 'oidc-provider/lib/helpers/weak_cache.js' {
  const instance: (provider: object) => {
    grantTypeHandlers: Map<string, (ctx: import('oidc-provider').KoaContextWithOIDC) => Promise<void>>;
  };
  export default instance;
}
