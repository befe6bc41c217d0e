import type { Database } from '@bff-auth/db';
import type { RevocationStore } from '@bff-auth/revocation';
import type { Logger } from 'pino';
import type { SessionAdmin } from '../sessions/session-admin';
import { userNotFound } from '../users/errors';
import { createUserStore, type NewUser, type User, type UserStore } from '../users/user-store';
import { ADMIN_ROLE, AdminRuleError, enforceAdminRules } from './admin-rules';
import { adminAudit } from './audit-trail';

/** Who asks for a change: the acting admin, the client that relays them, the request id. */
export interface AdminActor {
  actorId: string;
  clientId: string;
  requestId: string;
}

// One transaction-scoped advisory lock serialises the changes of the internal API: the admin rules count
// admins, and two demotions counting at the same time would each still see the other admin.
const ADMIN_CHANGES_LOCK = 0x61646d6e;

/** What one change did, for its audit row, and the Redis writes tied to its commit. */
interface ChangeOutcome<T> {
  result: T;
  targetId?: string;
  before?: unknown;
  after?: unknown;
}

export interface UserAdminDeps {
  db: Database;
  revocation: RevocationStore;
  sessions: SessionAdmin;
  logger: Logger;
  /** Resolves once the wall clock reaches `epochSeconds` (replaceable in tests). */
  waitUntil?: (epochSeconds: number) => Promise<void>;
}

const summary = (user: User) => ({ name: user.name, roles: user.roles, disabled: user.disabled });
const sameRoles = (a: string[], b: string[]) =>
  a.length === b.length && new Set([...a, ...b]).size === new Set(a).size;

const sleepUntil = (epochSeconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, epochSeconds * 1000 - Date.now())));

/**
 * The changes the internal API makes for an admin. Each one and its `admin_audit` row commit in one
 * authdb transaction, under one lock, after the admin rules (no self-demotion or self-disable, never the
 * last enabled admin); a refusal is recorded as `refused` and changes nothing.
 */
export function createUserAdmin({ db, revocation, sessions, logger, waitUntil = sleepUntil }: UserAdminDeps) {
  const outside = createUserStore(db);
  async function change<T>(
    actor: AdminActor,
    action: string,
    targetId: string | undefined,
    apply: (users: UserStore) => Promise<ChangeOutcome<T>>,
  ): Promise<T> {
    try {
      return await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_CHANGES_LOCK]);
        const outcome = await apply(createUserStore(tx));
        await adminAudit.record(tx, {
          ...actor,
          action,
          targetId: outcome.targetId ?? targetId,
          outcome: 'success',
          before: outcome.before,
          after: outcome.after,
        });
        return outcome.result;
      });
    } catch (error) {
      if (error instanceof AdminRuleError) {
        await adminAudit
          .record(db, { ...actor, action, targetId, outcome: 'refused', errorCode: error.code })
          .catch((err) => logger.error({ err, action, targetId }, 'refusal not audited'));
      }
      throw error;
    }
  }

  async function existing(users: UserStore, id: string) {
    const user = await users.findById(id);
    if (!user) throw userNotFound();
    return user;
  }

  const otherEnabledAdmins = (users: UserStore, id: string) => () =>
    users.countEnabledWithRole(ADMIN_ROLE, id);

  return {
    create: (actor: AdminActor, input: NewUser) =>
      change(actor, 'users.create', undefined, async (users) => {
        const user = await users.create(input);
        return { result: user, targetId: user.id, after: { email: user.email, ...summary(user) } };
      }),

    /** Name and roles. A role change reaches the APIs as `user:roles-changed` (see markRolesChanged). */
    async update(actor: AdminActor, id: string, changes: { name?: string; roles?: string[] }) {
      let rolesChanged = false;
      const user = await change(actor, 'users.update', id, async (users) => {
        const before = await existing(users, id);
        rolesChanged = changes.roles !== undefined && !sameRoles(changes.roles, before.roles);
        if (rolesChanged) {
          await enforceAdminRules({
            actorId: actor.actorId,
            target: before,
            after: { roles: changes.roles!, disabled: before.disabled },
            otherEnabledAdmins: otherEnabledAdmins(users, id),
          });
        }
        const after = await users.update(id, changes);
        return { result: after, before: summary(before), after: summary(after) };
      });
      if (rolesChanged) await markRolesChanged(id);
      return user;
    },

    async setDisabled(actor: AdminActor, id: string, disabled: boolean) {
      // The revocation record and the sessions live in authdb too, written through their own connection:
      // they cannot run inside this transaction (PGlite has one connection), so their order says what a
      // failure leaves. Disabling: the flag first (fail closed), after a first check of the admin rules so
      // a refused self-disable never flags the admin even for a moment; taken back if the change fails.
      const current = await outside.findById(id);
      if (!current) throw userNotFound();
      if (disabled) {
        await enforceAdminRules({
          actorId: actor.actorId,
          target: current,
          after: { roles: current.roles, disabled: true },
          otherEnabledAdmins: otherEnabledAdmins(outside, id),
        }).catch(async (error) => {
          await change(actor, 'users.disable', id, () => Promise.reject(error));
        });
        await revocation.setUserDisabled(id, true);
      }
      let user: User;
      try {
        user = await change(actor, disabled ? 'users.disable' : 'users.enable', id, async (users) => {
          const before = await existing(users, id);
          if (disabled) {
            await enforceAdminRules({
              actorId: actor.actorId,
              target: before,
              after: { roles: before.roles, disabled: true },
              otherEnabledAdmins: otherEnabledAdmins(users, id),
            });
          }
          const after = await users.setDisabled(id, disabled);
          return {
            result: after,
            before: { disabled: before.disabled },
            after: { disabled: after.disabled },
          };
        });
      } catch (error) {
        if (disabled && !current.disabled) {
          await revocation
            .setUserDisabled(id, false)
            .catch((err) => logger.error({ err, userId: id }, 'disabled flag not taken back'));
        }
        throw error;
      }
      if (disabled) {
        await sessions.revokeAll(id);
        await revocation.publish({ type: 'user-disabled', userId: id });
      } else {
        await revocation.setUserDisabled(id, false);
        await revocation.publish({ type: 'user-enabled', userId: id });
      }
      return user;
    },

    /** "Require password change at next sign-in": the next sign-in asks for a new password first. */
    requirePasswordChange: (actor: AdminActor, id: string) =>
      change(actor, 'users.password_change.require', id, async (users) => {
        const before = await users.passwordChangeRequired(id);
        await users.setPasswordChangeRequired(id, true);
        return {
          result: { passwordChangeRequired: true as const },
          before: { passwordChangeRequired: before },
          after: { passwordChangeRequired: true },
        };
      }),

    async logout(actor: AdminActor, id: string) {
      if (!(await outside.findById(id))) throw userNotFound();
      // Sessions live in authdb behind their own connection (see setDisabled): end them first — the
      // direction that errs on the safe side — then record the action; a failure to record is a 500.
      const revokedSessions = await sessions.revokeAll(id);
      return change(actor, 'users.logout', id, async () => ({
        result: { revokedSessions },
        after: { revokedSessions },
      }));
    },
  };

  /**
   * Tells the APIs and BFFs that tokens issued before now carry old roles. Access tokens only say the
   * second they were issued, and one issued in this second may predate the commit: so the recorded time is
   * the next second, written once that second has begun — every token issued from then on carries the new
   * roles, and a BFF that refreshes because of the key never gets a token the APIs would refuse.
   */
  async function markRolesChanged(id: string) {
    const effective = Math.floor(Date.now() / 1000) + 1;
    await waitUntil(effective);
    await revocation.markRolesChanged(id, effective);
    await revocation.publish({ type: 'roles-changed', userId: id });
  }
}
export type UserAdmin = ReturnType<typeof createUserAdmin>;
