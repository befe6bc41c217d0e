import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { KeySet, KeyStore } from '../keys/key-store';

export interface ProviderHostOptions {
  keyStore: KeyStore;
  build: (keys: KeySet) => Provider;
  /** How often the key table is read for a new signing key or a retired one. */
  refreshIntervalMs: number;
  logger: Logger;
}

/**
 * Holds the provider built for the keys in force and swaps it when they change (a rotation's new key
 * becoming active, or an old one retiring). oidc-provider reads its JWKS once at construction; all its
 * state is in Redis, so a swap is invisible to clients.
 */
export function createProviderHost({ keyStore, build, refreshIntervalMs, logger }: ProviderHostOptions) {
  let current: { provider: Provider; keys: KeySet; callback: ReturnType<Provider['callback']> } | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function refresh(): Promise<boolean> {
    const keys = await keyStore.load();
    if (!keys) throw new Error('no active signing key: run the auth service once to create one');
    if (current && current.keys.fingerprint === keys.fingerprint) return false;
    const provider = build(keys);
    current = { provider, keys, callback: provider.callback() };
    logger.info(
      { signingKid: keys.signing.kid, publishedKids: keys.published.map((k) => k.kid) },
      'signing keys loaded',
    );
    return true;
  }

  function active() {
    if (!current) throw new Error('provider host not started');
    return current;
  }

  return {
    async start() {
      await refresh();
      timer = setInterval(() => {
        refresh().catch((err) =>
          logger.error({ err }, 'reloading signing keys failed; keeping the current ones'),
        );
      }, refreshIntervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
    refresh,
    get provider() {
      return active().provider;
    },
    get keys() {
      return active().keys;
    },
    handle(req: IncomingMessage, res: ServerResponse) {
      return active().callback(req, res);
    },
  };
}
export type ProviderHost = ReturnType<typeof createProviderHost>;
