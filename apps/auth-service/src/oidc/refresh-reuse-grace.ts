/// <reference path="../types/oidc-provider-internals.d.ts" />
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
// oidc-provider has no public hook around a grant handler, and reuse detection revokes the grant inside
// the built-in refresh_token handler before any hook could answer. We wrap that handler in the provider's
// own handler table (a test guards this against a library upgrade that moves it).
import instance from 'oidc-provider/lib/helpers/weak_cache.js';
import type { Logger } from 'pino';
import { REFRESH_REUSE_GRACE_SECONDS } from './lifetimes';

export const refreshReuseKeys = {
  /** One key per rotated refresh token, named by a hash of its value (never the value itself). */
  answer: (lookupId: string) => `oidc:RefreshReuse:${lookupId}`,
};

type GrantHandler = (ctx: KoaContextWithOIDC) => Promise<void>;

interface StoredAnswer {
  clientId: string;
  /** The token endpoint's JSON answer that carried the successor. */
  body: Record<string, unknown>;
  /** Epoch milliseconds of that answer, to age `expires_in` on a replay. */
  at: number;
}

const lookupId = (refreshToken: string) =>
  createHash('sha256').update(`refresh-reuse-lookup\0${refreshToken}`).digest('base64url');

/** The answer is sealed under a key only the holder of the old refresh token can derive. */
const sealingKey = (refreshToken: string) =>
  Buffer.from(hkdfSync('sha256', refreshToken, 'refresh-reuse-grace', 'answer-key', 32));

function seal(refreshToken: string, answer: StoredAnswer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(refreshToken), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
}

function unseal(refreshToken: string, sealed: string): StoredAnswer | null {
  try {
    const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !tag || !data) return null;
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(refreshToken), iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8'));
  } catch {
    return null;
  }
}

export interface RefreshReuseGraceOptions {
  redis: RedisClient;
  /** Whether the account may still get tokens (exists, not disabled). */
  accountActive: (accountId: string) => Promise<boolean>;
  logger: Pick<Logger, 'warn'>;
  /** Seconds a rotated refresh token may be replayed for the same answer; 0 turns the grace off. */
  graceSeconds?: number;
}

/**
 * Refresh rotation that tolerates a lost answer (SPEC §7). When the provider rotates a refresh token but
 * its answer never reaches the client (a stall past the client's deadline, a dropped connection), the
 * client still holds the old token. Presented again by the same client within the grace, while its
 * successor is still unused and the grant, session and account still valid, the old token gets the very
 * same answer (same successor, same access token, `expires_in` aged) instead of revoking the grant.
 * After the grace, or once the successor was used, reuse detection works as before.
 *
 * The answer is kept in Redis encrypted under a key derived from the old refresh token, so the stored
 * copy is useless without the token it answers.
 */
export function installRefreshReuseGrace(
  provider: Provider,
  { redis, accountActive, logger, graceSeconds = REFRESH_REUSE_GRACE_SECONDS }: RefreshReuseGraceOptions,
): void {
  if (graceSeconds <= 0) return;
  const handlers: Map<string, GrantHandler> = instance(provider).grantTypeHandlers;
  const rotate = handlers.get('refresh_token');
  if (!rotate) throw new Error('auth-service: oidc-provider has no refresh_token grant handler to wrap');

  async function stillValid(ctx: KoaContextWithOIDC, answer: StoredAnswer): Promise<boolean> {
    if (answer.clientId !== ctx.oidc.client?.clientId) return false;
    const successorValue = answer.body.refresh_token;
    if (typeof successorValue !== 'string') return false;
    const successor = await provider.RefreshToken.find(successorValue);
    if (!successor || successor.consumed || successor.isExpired) return false;
    if (!successor.grantId || !(await provider.Grant.find(successor.grantId))) return false;
    return accountActive(successor.accountId);
  }

  handlers.set('refresh_token', async (ctx) => {
    const presented = String(ctx.oidc.params?.refresh_token ?? '');
    const key = refreshReuseKeys.answer(lookupId(presented));
    const sealed = presented ? await redis.get(key) : null;
    const answer = sealed ? unseal(presented, sealed) : null;
    if (answer && (await stillValid(ctx, answer))) {
      const body = { ...answer.body };
      if (typeof body.expires_in === 'number') {
        body.expires_in = Math.max(0, body.expires_in - Math.floor((Date.now() - answer.at) / 1000));
      }
      ctx.body = body;
      return;
    }

    await rotate(ctx);
    const rotated = ctx.oidc.entities.RotatedRefreshToken;
    if (rotated && ctx.body && typeof ctx.body === 'object' && ctx.oidc.client) {
      const stored: StoredAnswer = {
        clientId: ctx.oidc.client.clientId,
        body: ctx.body as Record<string, unknown>,
        at: Date.now(),
      };
      // The rotation is done and its answer must go out even when Redis cannot keep the copy: the grace
      // is a safety net, not a precondition.
      await redis.set(key, seal(presented, stored), 'EX', graceSeconds).catch((err: unknown) => {
        logger.warn({ err }, 'could not keep the refresh answer for the reuse grace');
      });
    }
  });
}
