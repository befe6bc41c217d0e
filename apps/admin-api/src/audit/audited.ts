import { AppError } from '@bff-auth/service-kit/errors';
import type { Logger } from '@bff-auth/service-kit/logger';
import type { AuthEnv } from '@bff-auth/token-verifier';
import type { MiddlewareHandler } from 'hono';
import type { AuditLog, AuditOutcome } from './audit-log';

/** What a route handler adds to its audit entry. */
export interface AuditNotes {
  targetId?: string;
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

export type AdminEnv = AuthEnv & { Variables: { audit: AuditNotes } };

/** Longest target id stored: ids come from the path and may be hostile. */
const MAX_TARGET_LENGTH = 200;

export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  if (status === 401 || status === 403) return 'denied';
  if (status < 500) return 'rejected';
  return 'failed';
}

/**
 * Wraps an admin route so that it writes one audit entry whatever happens after it: success, a 403 for a
 * non-admin, invalid input, or an auth-service failure. Handlers add before/after through `c.var.audit`.
 * Placed after bearerAuth (the actor is the verified `sub`) and before requireAdmin (refusals count).
 */
export function audited(action: string, log: AuditLog, logger: Logger): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const notes: AuditNotes = {};
    c.set('audit', notes);
    await next();
    const status = c.res.status;
    const error = c.error instanceof AppError ? c.error : undefined;
    const targetId = notes.targetId ?? c.req.param('id');
    try {
      await log.record({
        requestId: c.get('requestId'),
        actorId: c.var.auth.userId,
        actorClientId: c.var.auth.clientId,
        action,
        targetId: targetId?.slice(0, MAX_TARGET_LENGTH),
        outcome: outcomeOf(status),
        status,
        errorCode: error?.code ?? (c.error ? 'internal_error' : undefined),
        before: notes.before,
        after: notes.after,
        details: notes.details,
      });
    } catch (err) {
      // The action already happened; the failure to record it must be loud in the logs.
      logger.error({ err, requestId: c.get('requestId'), action, targetId }, 'audit entry not written');
    }
  };
}
