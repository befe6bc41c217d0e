import type { RevocationStore } from '@bff-auth/revocation';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';

/**
 * Records on the durable revocation record (authdb, then Redis) the `sid` of every client an end-session
 * signs out, before the response leaves: the BFFs write the same keys to Redis when the back-channel
 * logout reaches them, but only the record survives a Redis that restarts empty — without it a copy of
 * the signed-out cookie would work again until its access token expired.
 *
 * oidc-provider reports each client it signs out through the `backchannel.success` / `backchannel.error`
 * events, emitted during the request; a middleware writes them once the request is done.
 */
export function recordEndedSessions(
  provider: Provider,
  { revocation, logger }: { revocation: Pick<RevocationStore, 'revokeSession'>; logger: Logger },
) {
  const ended = new WeakMap<object, { accountId: string; sid: string }[]>();
  const note = (ctx: KoaContextWithOIDC, accountId: string, sid: string) => {
    const list = ended.get(ctx) ?? [];
    list.push({ accountId, sid });
    ended.set(ctx, list);
  };
  provider.on('backchannel.success', (ctx, _client, accountId, sid) => note(ctx, accountId, sid));
  provider.on('backchannel.error', (ctx, _err, _client, accountId, sid) => note(ctx, accountId, sid));
  provider.use(async (ctx, next) => {
    await next();
    const list = ended.get(ctx);
    if (!list) return;
    try {
      await Promise.all(list.map(({ accountId, sid }) => revocation.revokeSession(accountId, sid)));
    } catch (err) {
      logger.error({ err }, 'signed-out sessions could not be recorded as revoked');
    }
  });
}
