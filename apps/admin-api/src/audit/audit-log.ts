import type { Queryable } from '@bff-auth/db';

/**
 * How a request ended. `pending`: a change was recorded before the auth service was asked and its outcome
 * never arrived (admin-api stopped, or admindb failed afterwards); the auth service's `admin_audit` row
 * with the same request id says what happened.
 */
export type AuditOutcome = 'success' | 'denied' | 'rejected' | 'failed' | 'pending';

/** What is known of an entry when it is opened, before the action runs. */
export type AuditIntent = Pick<
  AuditEntryInput,
  'requestId' | 'actorId' | 'actorClientId' | 'action' | 'targetId'
>;

/** How an opened entry ended. */
export type AuditCompletion = Omit<AuditEntryInput, 'requestId' | 'actorId' | 'actorClientId' | 'action'>;

export interface AuditEntryInput {
  requestId: string;
  actorId: string;
  actorClientId?: string | undefined;
  action: string;
  targetId?: string | undefined;
  outcome: AuditOutcome;
  status: number;
  errorCode?: string | undefined;
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

export interface AuditEntry {
  id: string;
  occurredAt: string;
  requestId: string;
  actorId: string;
  actorClientId: string | null;
  action: string;
  targetId: string | null;
  outcome: AuditOutcome;
  /** Null while pending. */
  status: number | null;
  errorCode: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

export interface AuditQuery {
  actor?: string | undefined;
  target?: string | undefined;
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  page: number;
  pageSize: number;
}

export interface AuditLog {
  /** Writes a whole entry (reads, refusals: nothing to wait for). */
  record(entry: AuditEntryInput): Promise<void>;
  /** Writes a `pending` entry before a change is attempted; returns its id for `complete`. */
  open(intent: AuditIntent): Promise<string>;
  /** Fills in the outcome of an entry written by `open`. */
  complete(id: string, completion: AuditCompletion): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<{ items: AuditEntry[]; page: number; pageSize: number; total: number }>;
}

interface AuditRow {
  id: string | number;
  occurred_at: Date | string;
  request_id: string;
  actor_id: string;
  actor_client_id: string | null;
  action: string;
  target_id: string | null;
  outcome: AuditOutcome;
  status: number | null;
  error_code: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: String(row.id),
  occurredAt: new Date(row.occurred_at).toISOString(),
  requestId: row.request_id,
  actorId: row.actor_id,
  actorClientId: row.actor_client_id,
  action: row.action,
  targetId: row.target_id,
  outcome: row.outcome,
  status: row.status,
  errorCode: row.error_code,
  before: row.before ?? null,
  after: row.after ?? null,
  details: row.details ?? null,
});

// JSON.stringify writes a lone surrogate as an escape that jsonb refuses; hostile text that reached an
// entry (a refused input echoed in details, say) must never cost the entry itself.
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const json = (value: unknown) =>
  value === undefined || value === null
    ? null
    : JSON.stringify(value, (_key, v) =>
        typeof v === 'string' ? v.replace(LONE_SURROGATES, '\uFFFD').replaceAll('\u0000', '\uFFFD') : v,
      );

/** The audit log in admindb: append-only rows, filtered by actor, target, action and outcome. */
export function createAuditLog(db: Queryable): AuditLog {
  return {
    async record(entry) {
      await db.query(
        `INSERT INTO audit_log
           (request_id, actor_id, actor_client_id, action, target_id, outcome, status, error_code, before, after, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb)`,
        [
          entry.requestId,
          entry.actorId,
          entry.actorClientId ?? null,
          entry.action,
          entry.targetId ?? null,
          entry.outcome,
          entry.status,
          entry.errorCode ?? null,
          json(entry.before),
          json(entry.after),
          json(entry.details),
        ],
      );
    },

    async open(intent) {
      const { rows } = await db.query<{ id: string | number }>(
        `INSERT INTO audit_log (request_id, actor_id, actor_client_id, action, target_id, outcome)
         VALUES ($1, $2, $3, $4, $5, 'pending') RETURNING id`,
        [
          intent.requestId,
          intent.actorId,
          intent.actorClientId ?? null,
          intent.action,
          intent.targetId ?? null,
        ],
      );
      return String(rows[0]!.id);
    },

    async complete(id, entry) {
      await db.query(
        `UPDATE audit_log SET target_id = $2, outcome = $3, status = $4, error_code = $5,
           before = $6::jsonb, after = $7::jsonb, details = $8::jsonb
         WHERE id = $1 AND outcome = 'pending'`,
        [
          id,
          entry.targetId ?? null,
          entry.outcome,
          entry.status,
          entry.errorCode ?? null,
          json(entry.before),
          json(entry.after),
          json(entry.details),
        ],
      );
    },

    async list({ actor, target, action, outcome, page, pageSize }) {
      const where: string[] = [];
      const params: unknown[] = [];
      const filter = (column: string, value: string | undefined) => {
        if (value === undefined) return;
        params.push(value);
        where.push(`${column} = $${params.length}`);
      };
      filter('actor_id', actor);
      filter('target_id', target);
      filter('action', action);
      filter('outcome', outcome);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const { rows: counted } = await db.query<{ total: string | number }>(
        `SELECT count(*) AS total FROM audit_log ${clause}`,
        params,
      );
      const { rows } = await db.query<AuditRow>(
        `SELECT * FROM audit_log ${clause} ORDER BY occurred_at DESC, id DESC
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, pageSize, (page - 1) * pageSize],
      );
      return { items: rows.map(toEntry), page, pageSize, total: Number(counted[0]?.total ?? 0) };
    },
  };
}
