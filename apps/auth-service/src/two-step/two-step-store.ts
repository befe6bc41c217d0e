import type { Database, Queryable } from '@bff-auth/db';
import { AppError } from '@bff-auth/service-kit/errors';
import { adminAudit } from '../internal/audit-trail';
import type { KeyEncryption } from '../keys/key-encryption';
import {
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCode,
  RECOVERY_CODE_COUNT,
} from './recovery-codes';
import { matchTotpStep, newTotpSecret, totpUri } from './totp';

export interface TwoStepStatus {
  enabled: boolean;
  /** Unused recovery codes (0 when two-step verification is off). */
  recoveryCodesLeft: number;
}

/** Which second factor a code was: a TOTP code of the app, or one of the recovery codes. */
export type SecondFactor = 'otp' | 'recovery';

/** Who asked, for the audit row of a change. */
export interface AuditContext {
  requestId: string;
  clientId: string;
}

interface TotpRow {
  secret_jwe: string;
  confirmed_at: Date | string | null;
}

export const twoStepErrors = {
  alreadyEnabled: () =>
    new AppError(409, 'two_step_enabled', 'Two-step verification is already on; turn it off first'),
  notEnabled: () => new AppError(409, 'two_step_not_enabled', 'Two-step verification is not on'),
  noEnrolment: () =>
    new AppError(409, 'no_enrolment', 'Start the set-up again: there is no enrolment to confirm'),
  invalidCode: () =>
    new AppError(422, 'invalid_code', 'That code is not valid', {
      details: { code: ['That code is not valid or was already used'] },
    }),
};

/** A typed TOTP code without the spaces people put in the middle. */
const digitsOf = (typed: string) => typed.replace(/\s/g, '');

/**
 * Two-step verification of authdb's users: the TOTP secret (encrypted with the signing keys'
 * encryption), the last used step (a code is accepted once, decided by one conditional UPDATE) and the
 * hashed recovery codes (each used once, the same way). Changes commit with their audit row.
 */
export function createTwoStepStore({
  db,
  encryption,
  now = Date.now,
}: {
  db: Database;
  encryption: KeyEncryption;
  now?: () => number;
}) {
  const rowOf = async (q: Queryable, userId: string, lock = false) =>
    (
      await q.query<TotpRow>(
        `SELECT secret_jwe, confirmed_at FROM user_totp WHERE user_id = $1${lock ? ' FOR UPDATE' : ''}`,
        [userId],
      )
    ).rows[0];

  /** Accepts a TOTP code of a confirmed secret once: its step must be later than the last one used. */
  async function useTotp(q: Queryable, userId: string, typed: string): Promise<boolean> {
    const code = digitsOf(typed);
    if (!/^\d{6}$/.test(code)) return false;
    const row = await rowOf(q, userId);
    if (!row?.confirmed_at) return false;
    const step = matchTotpStep(await encryption.decrypt(row.secret_jwe), code, now());
    if (step === undefined) return false;
    const { rows } = await q.query(
      `UPDATE user_totp SET last_used_step = $2
        WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)
        RETURNING user_id`,
      [userId, step],
    );
    return rows.length === 1;
  }

  async function useRecoveryCode(q: Queryable, userId: string, typed: string): Promise<boolean> {
    if (!looksLikeRecoveryCode(typed)) return false;
    const { rows } = await q.query(
      `UPDATE user_recovery_codes SET used_at = now()
        WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING user_id`,
      [userId, hashRecoveryCode(typed)],
    );
    return rows.length === 1;
  }

  async function useSecondFactor(q: Queryable, userId: string, typed: string) {
    if (typed.length > 64) return undefined;
    if (await useTotp(q, userId, typed)) return 'otp' as const;
    if (await useRecoveryCode(q, userId, typed)) return 'recovery' as const;
    return undefined;
  }

  return {
    async status(userId: string): Promise<TwoStepStatus> {
      const row = await rowOf(db, userId);
      if (!row?.confirmed_at) return { enabled: false, recoveryCodesLeft: 0 };
      const { rows } = await db.query<{ left: number | string }>(
        'SELECT count(*) AS left FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL',
        [userId],
      );
      return { enabled: true, recoveryCodesLeft: Number(rows[0]?.left ?? 0) };
    },

    /** Whether the user must give a second factor to sign in. */
    async isEnabled(userId: string): Promise<boolean> {
      return Boolean((await rowOf(db, userId))?.confirmed_at);
    },

    /**
     * Starts (or restarts) an enrolment: a new secret waits for its first code. Refused while two-step
     * verification is on, so a stolen session cannot swap the secret without a code.
     */
    async begin(userId: string, label: string): Promise<{ secret: string; uri: string }> {
      const secret = newTotpSecret();
      const jwe = await encryption.encrypt(secret);
      const { rows } = await db.query(
        `INSERT INTO user_totp (user_id, secret_jwe) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET secret_jwe = EXCLUDED.secret_jwe, last_used_step = NULL,
           created_at = now()
         WHERE user_totp.confirmed_at IS NULL
         RETURNING user_id`,
        [userId, jwe],
      );
      if (rows.length === 0) throw twoStepErrors.alreadyEnabled();
      return { secret, uri: totpUri(secret, label) };
    },

    /** The secret of an enrolment waiting for its first code (to show it again after a wrong code). */
    async pendingEnrolment(
      userId: string,
      label: string,
    ): Promise<{ secret: string; uri: string } | undefined> {
      const row = await rowOf(db, userId);
      if (!row || row.confirmed_at) return undefined;
      const secret = await encryption.decrypt(row.secret_jwe);
      return { secret, uri: totpUri(secret, label) };
    },

    /** The first code of the new secret turns two-step verification on and gives the recovery codes. */
    async confirm(userId: string, code: string, audit: AuditContext): Promise<{ recoveryCodes: string[] }> {
      return db.transaction(async (tx) => {
        const row = await rowOf(tx, userId, true);
        if (!row) throw twoStepErrors.noEnrolment();
        if (row.confirmed_at) throw twoStepErrors.alreadyEnabled();
        const typed = digitsOf(code);
        const step = /^\d{6}$/.test(typed)
          ? matchTotpStep(await encryption.decrypt(row.secret_jwe), typed, now())
          : undefined;
        if (step === undefined) throw twoStepErrors.invalidCode();
        await tx.query('UPDATE user_totp SET confirmed_at = now(), last_used_step = $2 WHERE user_id = $1', [
          userId,
          step,
        ]);
        const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
        await tx.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
        for (const recoveryCode of recoveryCodes) {
          await tx.query('INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, $2)', [
            userId,
            hashRecoveryCode(recoveryCode),
          ]);
        }
        await adminAudit.record(tx, {
          ...audit,
          actorId: userId,
          targetId: userId,
          action: 'account.two-step.enable',
          outcome: 'success',
          after: { recoveryCodes: RECOVERY_CODE_COUNT },
        });
        return { recoveryCodes };
      });
    },

    /** Turns two-step verification off; needs a current code (or a recovery code). */
    async disable(userId: string, code: string, audit: AuditContext): Promise<{ disabled: true }> {
      return db.transaction(async (tx) => {
        const row = await rowOf(tx, userId, true);
        if (!row?.confirmed_at) throw twoStepErrors.notEnabled();
        const factor = await useSecondFactor(tx, userId, code);
        if (!factor) throw twoStepErrors.invalidCode();
        await tx.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
        await tx.query('DELETE FROM user_totp WHERE user_id = $1', [userId]);
        await adminAudit.record(tx, {
          ...audit,
          actorId: userId,
          targetId: userId,
          action: 'account.two-step.disable',
          outcome: 'success',
          after: { factor },
        });
        return { disabled: true as const };
      });
    },

    /** A sign-in's second step: the factor the code was, or undefined (wrong, expired or used). */
    verify: (userId: string, code: string): Promise<SecondFactor | undefined> =>
      useSecondFactor(db, userId, code),
  };
}
export type TwoStepStore = ReturnType<typeof createTwoStepStore>;
