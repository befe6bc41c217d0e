import { AppError } from '@bff-auth/service-kit/errors';
import type { Logger } from '@bff-auth/service-kit/logger';
import type { AuthEnv } from '@bff-auth/token-verifier';
import type { Context, MiddlewareHandler } from 'hono';
import type { AuditCompletion, AuditLog, AuditOutcome } from './audit-log';

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
// A path parameter may hold NUL or half a surrogate pair; PostgreSQL text can hold neither.
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const storableTarget = (id: string | undefined) =>
  id?.slice(0, MAX_TARGET_LENGTH).replace(LONE_SURROGATES, '\uFFFD').replaceAll('\u0000', '\uFFFD');

export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  if (status === 401 || status === 403) return 'denied';
  if (status < 500) return 'rejected';
  return 'failed';
}

/** admindb could not record a change before it was attempted: nothing is attempted. */
export class AuditUnavailableError extends AppError {
  constructor(cause: unknown) {
    super(503, 'audit_unavailable', 'The audit log cannot be written; nothing was changed', { cause });
    this.name = 'AuditUnavailableError';
  }
}

/**
 * Wraps an admin route so that it writes one audit entry whatever happens after it: success, a 403 for a
 * non-admin, invalid input, or an auth-service failure. Handlers add before/after through `c.var.audit`.
 * Placed after accessTokenAuth (the actor is the verified `sub`) and before requireAdmin (refusals count).
 *
 * A change (any method but GET) is recorded as `pending` before the auth service is asked — if admindb
 * cannot take that row the change is refused with 503 and never attempted — and completed with its outcome
 * afterwards. So no change the auth service acknowledged lacks an entry here; should the completion fail,
 * the pending entry stays, and the auth service's own audit row (same request id, written in the change's
 * transaction) says how it ended.
 */
export function audited(action: string, log: AuditLog, logger: Logger): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const notes: AuditNotes = {};
    c.set('audit', notes);
    const intent = {
      requestId: c.get('requestId'),
      actorId: c.var.auth.userId,
      actorClientId: c.var.auth.clientId,
      action,
      targetId: storableTarget(c.req.param('id')),
    };
    let openId: string | undefined;
    if (c.req.method !== 'GET') {
      try {
        openId = await log.open(intent);
      } catch (error) {
        logger.error({ err: error, requestId: intent.requestId, action }, 'audit entry not opened');
        throw new AuditUnavailableError(error);
      }
    }
    await next();
    const completion = completionOf(c, notes);
    try {
      if (openId) await log.complete(openId, completion);
      else await log.record({ ...intent, ...completion });
    } catch (err) {
      // A change has its pending entry (and the auth service's row); a read's entry is lost: both loud.
      logger.error({ err, requestId: intent.requestId, action, openId }, 'audit entry not completed');
    }
  };
}

function completionOf(c: Context<AdminEnv>, notes: AuditNotes): AuditCompletion {
  const status = c.res.status;
  const error = c.error instanceof AppError ? c.error : undefined;
  return {
    targetId: storableTarget(notes.targetId ?? c.req.param('id')),
    outcome: outcomeOf(status),
    status,
    errorCode: error?.code ?? (c.error ? 'internal_error' : undefined),
    before: notes.before,
    after: notes.after,
    details: notes.details,
  };
}
