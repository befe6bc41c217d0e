import type { Queryable } from '@bff-auth/db';

export type AuditOutcome = 'success' | 'denied' | 'rejected' | 'failed';

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
  status: number;
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
  record(entry: AuditEntryInput): Promise<void>;
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
  status: number;
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

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

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
