import type { RedisClient } from '@bff-auth/service-kit/redis';
import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';
import type { BffLogger } from '../bff/config';
import type { OidcClient } from '../oidc/oidc-client';
import type { PasswordMap } from '../session/passwords';

/** What is left to do at the provider for a sign-out it could not be reached for. */
export interface PendingSignOut {
  /** The user, for logs. */
  userId: string;
  /** Refresh token still to revoke (RFC 7009). */
  refreshToken?: string;
  /** ID token naming the provider session still to end (logout_session_endpoint). */
  idToken?: string;
}

const jobSchema = z.object({
  userId: z.string(),
  refreshToken: z.string().optional(),
  idToken: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  /** Epoch ms after which the job is dropped: the refresh token and session are dead by then anyway. */
  until: z.number(),
});
type Job = z.infer<typeof jobSchema>;

export interface PendingSignOutsOptions {
  redis: RedisClient;
  /** Names the queue: one per client (app). */
  namespace: string;
  passwords: PasswordMap;
  oidc: Pick<OidcClient, 'revoke' | 'endProviderSession'>;
  logger: BffLogger;
  /** How long a job is retried before it is dropped (the session's lifetime). */
  retryForSeconds: number;
  /** First retry delay; doubles per attempt up to `maxDelayMs`. Default 2 s. */
  baseDelayMs?: number;
  /** Default 60 s. */
  maxDelayMs?: number;
  /**
   * How long a claimed job stays with the instance working on it before it is due again for any
   * instance (the claimer died). Longer than one attempt's deadlines. Default 60 s.
   */
  claimLeaseMs?: number;
}

/** Claims a due job: moves its score to the lease's end, only if it is still due (so one claimer wins). */
const CLAIM = `local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0`;

/**
 * Sign-outs that complete later (SPEC §7): when the provider cannot be reached, the BFF revokes the
 * session at once in Redis and leaves the provider's part — revoking the refresh token, ending the
 * provider session — here, retried with backoff by every instance until done. The queue is one sorted set
 * (score: when the job is due; one key, so one Cluster slot); a job is claimed under a lease (its score
 * moved to the lease's end), so one instance works on it at a time and a job whose worker died is taken up
 * again when the lease ends. Jobs are sealed with the session passwords: Redis never holds a token
 * in clear. A job lives as long as Redis keeps it; Redis persistence (AOF) or replication carries it
 * across a restart or failover of Redis itself.
 */
export function createPendingSignOuts({
  redis,
  namespace,
  passwords,
  oidc,
  logger,
  retryForSeconds,
  baseDelayMs = 2000,
  maxDelayMs = 60_000,
  claimLeaseMs = 60_000,
}: PendingSignOutsOptions) {
  const key = `bff:${namespace}:sign-outs-pending`;
  const sealTtlSeconds = retryForSeconds + 3600;

  const seal = (job: Job) => sealData(job, { password: passwords, ttl: sealTtlSeconds });

  /** One attempt at the provider's part; true when nothing is left to retry. */
  async function attempt(job: Job): Promise<{ done: boolean; rest: Job }> {
    let rest: Job = { ...job };
    if (rest.refreshToken && (await oidc.revoke(rest.refreshToken, 'refresh_token'))) {
      const { refreshToken: _done, ...others } = rest;
      rest = others;
    }
    if (rest.idToken) {
      try {
        await oidc.endProviderSession(rest.idToken);
        const { idToken: _done, ...others } = rest;
        rest = others;
      } catch {
        // Still unreachable: retried below.
      }
    }
    return { done: !rest.refreshToken && !rest.idToken, rest };
  }

  /** Works the due jobs once; returns how many were completed. Never throws. */
  async function runDue(limit = 20): Promise<number> {
    let completed = 0;
    try {
      const due = await redis.zrangebyscore(key, '-inf', Date.now(), 'LIMIT', 0, limit);
      for (const sealed of due) {
        // Claimed under a lease: the job stays queued, so if this instance dies mid-attempt another one
        // takes it up once the lease ends; no two instances work on it at once.
        const now = Date.now();
        if ((await redis.eval(CLAIM, 1, key, sealed, String(now), String(now + claimLeaseMs))) !== 1)
          continue;
        const parsed = jobSchema.safeParse(
          await unsealData(sealed, { password: passwords, ttl: sealTtlSeconds }).catch(() => null),
        );
        if (!parsed.success) {
          await redis.zrem(key, sealed);
          continue;
        }
        const { done, rest } = await attempt(parsed.data);
        if (done) {
          await redis.zrem(key, sealed);
          completed++;
          logger.info?.(
            { userId: rest.userId, attempts: rest.attempts + 1 },
            'bff-core: sign-out completed at the provider',
          );
        } else if (Date.now() >= rest.until) {
          await redis.zrem(key, sealed);
          logger.warn({ userId: rest.userId }, 'bff-core: gave up completing a sign-out at the provider');
        } else {
          // What is left, due again after the backoff; swapped in one transaction (one key, one slot).
          const attempts = rest.attempts + 1;
          const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** attempts);
          const next = await seal({ ...rest, attempts });
          await redis
            .multi()
            .zrem(key, sealed)
            .zadd(key, Date.now() + delay, next)
            .exec();
        }
      }
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'bff-core: pending sign-outs could not be worked');
    }
    return completed;
  }

  return {
    /** Queues the provider's part of a sign-out, first due after the base delay. */
    async add(signOut: PendingSignOut): Promise<void> {
      const job: Job = { ...signOut, attempts: 0, until: Date.now() + retryForSeconds * 1000 };
      await redis.zadd(key, Date.now() + baseDelayMs, await seal(job));
    },

    runDue,

    /** Jobs waiting (for /ready diagnostics and tests). */
    size: (): Promise<number> => redis.zcard(key),

    /** Works the queue every `intervalMs` until the returned function is called. */
    start(intervalMs = 5000): () => void {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        void runDue().finally(() => {
          running = false;
        });
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
export type PendingSignOuts = ReturnType<typeof createPendingSignOuts>;
