import type { RedisClient } from '@bff-auth/service-kit/redis';
import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';
import { dpopKeySchema } from '../dpop/dpop-key';
import type { TokenSet } from '../oidc/token-set';
import type { PasswordMap } from '../session/passwords';

/** What the refresh winner leaves in Redis for the others: the new tokens, or the news that the grant is gone. */
export type ParkedOutcome = { ok: true; tokens: TokenSet } | { ok: false; error: 'session_expired' };

const parkedSchema = z.union([
  z.object({
    ok: z.literal(true),
    tokens: z.object({
      accessToken: z.string(),
      accessTokenExpiresAt: z.number(),
      refreshToken: z.string().optional(),
      idToken: z.string().optional(),
      dpopKey: dpopKeySchema.optional(),
    }),
  }),
  z.object({ ok: z.literal(false), error: z.literal('session_expired') }),
]);

/**
 * Stores and reads parked refresh outcomes, sealed with the session passwords: Redis (and anyone who
 * can read it or its logs) never sees a token in clear.
 */
export function createParking({
  redis,
  passwords,
  ttlSeconds,
}: {
  redis: RedisClient;
  passwords: PasswordMap;
  ttlSeconds: number;
}) {
  return {
    async park(key: string, outcome: ParkedOutcome): Promise<void> {
      const sealed = await sealData(outcome, { password: passwords, ttl: ttlSeconds + 60 });
      await redis.set(key, sealed, 'EX', ttlSeconds);
    },
    async read(key: string): Promise<ParkedOutcome | null> {
      const sealed = await redis.get(key);
      if (!sealed) return null;
      const parsed = parkedSchema.safeParse(
        await unsealData(sealed, { password: passwords, ttl: ttlSeconds + 60 }),
      );
      return parsed.success ? (parsed.data as ParkedOutcome) : null;
    },
  };
}
