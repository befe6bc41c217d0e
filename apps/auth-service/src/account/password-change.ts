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

const ACTION = { action: 'account.password.change' } as const;
type AuditContext = { requestId: string; actorId: string; clientId: string; targetId: string };
type Credentials = Awaited<ReturnType<ReturnType<typeof createUserStore>['passwordHashForUpdate']>>;

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
 * user, consumed before the check so parallel guesses cannot slip past) and the new one must pass the
 * shared strength rule. Then every other session of the user ends (the caller's own stays), and the new
 * hash and its audit row commit in one transaction.
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

  const refused = (audit: AuditContext, error: unknown) =>
    error instanceof AppError && error.status === 422
      ? adminAudit
          .record(db, { ...audit, ...ACTION, outcome: 'refused', errorCode: error.code })
          .catch((err) => logger.error({ err }, 'refused password change not audited'))
      : undefined;

  /** The checks of a change: the account, its current password, the new one under the shared rule. */
  async function check(found: Credentials | undefined, request: PasswordChangeRequest) {
    if (!found || found.user.disabled) throw userNotFound();
    if (!(await verifyPassword(found.passwordHash, request.currentPassword))) throw wrongPassword();
    const problems = passwordProblems(request.newPassword, { email: found.user.email });
    if (request.newPassword === request.currentPassword) {
      problems.push('Choose a password different from the current one');
    }
    if (problems.length > 0) throw weakPassword(problems);
  }

  return async function changePassword(request: PasswordChangeRequest): Promise<{ endedSessions: number }> {
    const { userId } = request;
    const audit = {
      requestId: request.requestId,
      actorId: userId,
      clientId: request.clientId,
      targetId: userId,
    };
    await takeAttempt(userId);
    const users = createUserStore(db);
    const before = await users.passwordHashForUpdate(userId);
    try {
      await check(before, request);
    } catch (error) {
      await refused(audit, error);
      throw error;
    }
    // The sessions live behind their own connection (PGlite has one), so they cannot end inside the
    // transaction: they end first — the order that fails safe. A failure after this leaves the password
    // as it was and the other sessions ended, never a new password with a stolen session still alive.
    const endedSessions = await sessions.revokeOthers(userId, request.currentSid);
    await db.transaction(async (tx) => {
      const locked = createUserStore(tx);
      const found = await locked.passwordHashForUpdate(userId);
      // Changed by a concurrent request since the check: check again against what is stored now.
      if (found?.passwordHash !== before?.passwordHash) await check(found, request);
      await locked.setPassword(userId, request.newPassword);
      await adminAudit.record(tx, { ...audit, ...ACTION, outcome: 'success', after: { endedSessions } });
    });
    // The right password was typed: earlier wrong ones are forgotten.
    await failures.delete(userId).catch((err) => logger.warn({ err }, 'password-change limit not reset'));
    return { endedSessions };
  };
}
export type ChangePassword = ReturnType<typeof createPasswordChange>;
