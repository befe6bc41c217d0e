import type { Database } from '@bff-auth/db';
import { AppError } from '@bff-auth/service-kit/errors';
import { passwordProblems } from '@bff-auth/service-kit/passwords';
import type { Logger } from 'pino';
import { adminAudit } from '../internal/audit-trail';
import type { AdminActor } from '../internal/user-admin';
import type { MailSender } from '../mail/mail-sender';
import type { SessionAdmin } from '../sessions/session-admin';
import { userNotFound } from '../users/errors';
import { createUserStore, type User } from '../users/user-store';
import type { ResetTokens } from './reset-tokens';

/** The client id of the audit rows a reset link writes (no OAuth client is involved). */
export const RESET_LINK_CLIENT = 'password-reset-link';

/** The link is unknown, used or expired (one answer for all three). */
export const invalidResetLink = () =>
  new AppError(400, 'invalid_reset_link', 'This password reset link is not valid any more');

export const weakResetPassword = (problems: string[]) =>
  new AppError(400, 'weak_password', problems[0] ?? 'Choose a stronger password', {
    details: { password: problems },
  });

export interface PasswordResetDeps {
  db: Database;
  tokens: ResetTokens;
  mail: MailSender;
  sessions: SessionAdmin;
  logger: Logger;
  /** The service's public origin: links point at `<issuer>/password-reset/new?token=…`. */
  issuer: string;
}

/**
 * Password reset by email link (SPEC §12). `request` does its work in the background — the lookup, the
 * link, the message — so the answer and its timing are the same whether the email has an account;
 * `settled()` lets tests wait for that work. `complete` sets the new password from a valid link.
 */
export function createPasswordReset({ db, tokens, mail, sessions, logger, issuer }: PasswordResetDeps) {
  const users = createUserStore(db);
  const inFlight = new Set<Promise<void>>();

  const sendMessage = (user: User, token: string, byAdmin: boolean) =>
    mail.send({
      to: user.email,
      subject: 'Reset your password',
      text: [
        `Hello ${user.name},`,
        '',
        byAdmin
          ? 'An administrator sent you a link to choose a new password for your account:'
          : 'Someone (we hope you) asked to reset the password of your account. Open this link to choose a new one:',
        '',
        `${issuer}/password-reset/new?token=${token}`,
        '',
        'The link works once, for 30 minutes. Using it signs you out everywhere.',
        'If you did not ask for it, ignore this message: your password stays as it is.',
      ].join('\n'),
    });

  async function sendLink(email: string, requestId: string, ip: string) {
    const found = await users.findCredentials(email);
    if (!found || found.user.disabled) {
      logger.info({ requestId, outcome: 'no_account' }, 'password reset requested');
      return;
    }
    const { user } = found;
    // The link and its audit row (who asked for whom, from where) commit together.
    const token = await db.transaction(async (tx) => {
      const issued = await tokens.issue(tx, user.id);
      await adminAudit.record(tx, {
        requestId,
        actorId: user.id,
        clientId: RESET_LINK_CLIENT,
        action: 'account.password.reset_request',
        targetId: user.id,
        outcome: 'success',
        after: { ip },
      });
      return issued;
    });
    await sendMessage(user, token, false);
    // Never the link or the token in a log line.
    logger.info({ requestId, userId: found.user.id, outcome: 'link_sent' }, 'password reset requested');
  }

  return {
    /**
     * Starts sending a link to `email` when it has an enabled account (audited as
     * `account.password.reset_request` with the asking address); returns at once either way.
     */
    request(email: string, requestId: string, ip: string): void {
      const work: Promise<void> = sendLink(email, requestId, ip)
        .catch((err: unknown) => logger.error({ err, requestId }, 'password reset link not sent'))
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    },

    /**
     * **Send password reset** by an admin (the internal API): the link, its message and the audit row
     * `users.password_reset.send` in one transaction — the message is sent before the commit, so a mail
     * failure leaves neither a link nor an audit row (a failed commit after it leaves a link that does
     * not work, the safe side).
     */
    async sendForAdmin(actor: AdminActor, userId: string): Promise<{ sent: true }> {
      return db.transaction(async (tx) => {
        const user = await createUserStore(tx).findById(userId);
        if (!user) throw userNotFound();
        if (user.disabled) {
          throw new AppError(409, 'user_disabled', 'Enable the account before sending it a password reset');
        }
        const token = await tokens.issue(tx, user.id);
        await adminAudit.record(tx, {
          ...actor,
          action: 'users.password_reset.send',
          targetId: user.id,
          outcome: 'success',
        });
        try {
          await sendMessage(user, token, true);
        } catch (err) {
          logger.error({ err, requestId: actor.requestId, userId: user.id }, 'password reset link not sent');
          throw new AppError(503, 'mail_unavailable', 'The message could not be sent; try again later');
        }
        return { sent: true as const };
      });
    },

    /** Resolves when every request started so far has finished (tests). */
    async settled(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },

    /** The account a link resets while it can still be used (the new-password page), else undefined. */
    async check(token: string): Promise<{ userId: string; email: string } | undefined> {
      const userId = await tokens.peek(db, token);
      if (!userId) return undefined;
      const user = await users.findById(userId);
      return user && !user.disabled ? { userId, email: user.email } : undefined;
    },

    /**
     * Sets `password` for the link's account. The password is checked first (a weak one leaves the
     * link usable); then every session of the user ends — before the change, the order that fails safe
     * — and the link is used, the hash replaced and the audit row written in one transaction.
     */
    async complete(request: {
      token: string;
      password: string;
      requestId: string;
      ip: string;
    }): Promise<{ endedSessions: number }> {
      const account = await this.check(request.token);
      if (!account) throw invalidResetLink();
      const problems = passwordProblems(request.password, { email: account.email });
      if (problems.length > 0) throw weakResetPassword(problems);
      const endedSessions = await sessions.revokeAll(account.userId);
      await db.transaction(async (tx) => {
        const userId = await tokens.consume(tx, request.token);
        // Used by a concurrent request since the check: nothing changes (its sessions have ended anyway).
        if (userId !== account.userId) throw invalidResetLink();
        await createUserStore(tx).setPassword(userId, request.password);
        await adminAudit.record(tx, {
          requestId: request.requestId,
          actorId: userId,
          clientId: RESET_LINK_CLIENT,
          action: 'account.password.reset',
          targetId: userId,
          outcome: 'success',
          after: { endedSessions, ip: request.ip },
        });
      });
      logger.info({ requestId: request.requestId, userId: account.userId }, 'password reset');
      return { endedSessions };
    },
  };
}
export type PasswordReset = ReturnType<typeof createPasswordReset>;
