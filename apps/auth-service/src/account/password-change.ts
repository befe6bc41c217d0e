import type { Database } from '@bff-auth/db';
import { AppError } from '@bff-auth/service-kit/errors';
import { passwordProblems } from '@bff-auth/service-kit/passwords';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { Logger } from 'pino';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { adminAudit } from '../internal/audit-trail';
import type { SessionAdmin } from '../sessions/session-admin';
import { userNotFound } from '../users/errors';
import { verifyPassword } from '../users/passwords';
import { createUserStore } from '../users/user-store';

/** Wrong current passwords a user may type in a row before the change is refused for a while. */
export const PASSWORD_CHANGE_LIMITS = { failures: 5, windowSeconds: 15 * 60 } as const;

export interface PasswordChangeRequest {
  userId: string;
  /** The `sid` claim of the caller's token: that session stays, every other one ends. */
  currentSid: string;
  currentPassword: string;
  newPassword: string;
  /** For the audit row: the calling client and the request id. */
  clientId: string;
  requestId: string;
}

export interface PasswordChangeDeps {
  db: Database;
  redis: RedisClient;
  sessions: SessionAdmin;
  logger: Logger;
  limits?: { failures: number; windowSeconds: number };
}

const wrongPassword = () =>
  new AppError(422, 'current_password_incorrect', 'The current password is not correct', {
    details: { currentPassword: ['The current password is not correct'] },
  });

const weakPassword = (problems: string[]) =>
  new AppError(422, 'weak_password', problems[0] ?? 'Choose a stronger password', {
    details: { newPassword: problems },
  });

/**
 * A user changes their own password: the current one is required (wrong guesses are rate-limited per
 * user, consumed before the check so parallel guesses cannot slip past), the new one must pass the shared
 * strength rule, and the new hash and its audit row commit in one transaction. Then every other session
 * of the user ends; the caller's own stays.
 */
export function createPasswordChange({
  db,
  redis,
  sessions,
  logger,
  limits = PASSWORD_CHANGE_LIMITS,
}: PasswordChangeDeps) {
  const failures = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'rl:password-change',
    points: limits.failures,
    duration: limits.windowSeconds,
  });

  async function takeAttempt(userId: string) {
    try {
      await failures.consume(userId);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new AppError(429, 'too_many_attempts', 'Too many wrong passwords; try again later', {
        details: { retryAfterSeconds: retryAfter },
      });
    }
  }

  return async function changePassword(request: PasswordChangeRequest): Promise<{ endedSessions: number }> {
    const { userId, currentPassword, newPassword } = request;
    await takeAttempt(userId);
    const audit = { requestId: request.requestId, actorId: userId, clientId: request.clientId };
    await db
      .transaction(async (tx) => {
        const users = createUserStore(tx);
        const found = await users.passwordHashForUpdate(userId);
        if (!found || found.user.disabled) throw userNotFound();
        if (!(await verifyPassword(found.passwordHash, currentPassword))) throw wrongPassword();
        const problems = passwordProblems(newPassword, { email: found.user.email });
        if (newPassword === currentPassword)
          problems.push('Choose a password different from the current one');
        if (problems.length > 0) throw weakPassword(problems);
        await users.setPassword(userId, newPassword);
        await adminAudit.record(tx, {
          ...audit,
          action: 'account.password.change',
          targetId: userId,
          outcome: 'success',
        });
      })
      .catch(async (error: unknown) => {
        if (error instanceof AppError && error.status === 422) {
          await adminAudit
            .record(db, {
              ...audit,
              action: 'account.password.change',
              targetId: userId,
              outcome: 'refused',
              errorCode: error.code,
            })
            .catch((err) => logger.error({ err }, 'refused password change not audited'));
        }
        throw error;
      });
    // The right password was typed: earlier wrong ones are forgotten.
    await failures.delete(userId).catch((err) => logger.warn({ err }, 'password-change limit not reset'));
    return { endedSessions: await sessions.revokeOthers(userId, request.currentSid) };
  };
}
export type ChangePassword = ReturnType<typeof createPasswordChange>;
