import { AppError } from '@bff-auth/service-kit/errors';

/** The role that lets a user into admin-web and admin-api (SPEC §4.6). */
export const ADMIN_ROLE = 'admin';

/** Codes of the changes the internal API refuses so that nobody can lock every admin out (SPEC §8). */
export type AdminRuleCode = 'cannot_demote_self' | 'cannot_disable_self' | 'last_admin';

const MESSAGES: Record<AdminRuleCode, string> = {
  cannot_demote_self: 'You cannot remove your own admin role; ask another admin',
  cannot_disable_self: 'You cannot disable your own account; ask another admin',
  last_admin: 'This is the last enabled admin; make someone else an admin first',
};

/** A change refused by the admin rules: 409, nothing written but the audit row of the refusal. */
export class AdminRuleError extends AppError {
  declare readonly code: AdminRuleCode;
  constructor(code: AdminRuleCode) {
    super(409, code, MESSAGES[code]);
    this.name = 'AdminRuleError';
  }
}

export interface AdminRuleInput {
  actorId: string;
  target: { id: string; roles: string[]; disabled: boolean };
  /** What the change leaves: the target's roles and whether it is disabled afterwards. */
  after: { roles: string[]; disabled: boolean };
  /** How many enabled admins there are besides the target (read under the admin lock). */
  otherEnabledAdmins: () => Promise<number>;
}

/**
 * Refuses a change that takes admin power away from the acting admin themselves, or from the last enabled
 * admin. Called inside the change's transaction, under the admin lock, so two concurrent demotions of the
 * last two admins cannot both pass.
 * @throws AdminRuleError
 */
export async function enforceAdminRules({ actorId, target, after, otherEnabledAdmins }: AdminRuleInput) {
  const wasAdmin = target.roles.includes(ADMIN_ROLE) && !target.disabled;
  const staysAdmin = after.roles.includes(ADMIN_ROLE) && !after.disabled;
  if (target.id === actorId) {
    if (after.disabled && !target.disabled) throw new AdminRuleError('cannot_disable_self');
    if (wasAdmin && !staysAdmin) throw new AdminRuleError('cannot_demote_self');
  }
  if (wasAdmin && !staysAdmin && (await otherEnabledAdmins()) === 0) throw new AdminRuleError('last_admin');
}
