import type { Queryable } from '@bff-auth/db';

/** What the internal API did, or refused to do, for an acting admin. */
export interface AdminAuditEntry {
  requestId: string;
  /** The admin who asked (admin-api passes the verified `sub` of their token). */
  actorId: string;
  /** The client that called the internal API (admin-api). */
  clientId: string;
  action: string;
  targetId?: string | undefined;
  outcome: 'success' | 'refused';
  errorCode?: string | undefined;
  before?: unknown;
  after?: unknown;
}

export interface AdminAuditRecord extends Required<Omit<AdminAuditEntry, 'targetId' | 'errorCode'>> {
  id: string;
  occurredAt: string;
  targetId: string | null;
  errorCode: string | null;
}

// JSON.stringify writes a lone surrogate as an escape that jsonb refuses; whatever slipped past the
// edges must never make the audit row, and with it the change, fail.
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const json = (value: unknown) =>
  value === undefined || value === null
    ? null
    : JSON.stringify(value, (_key, v) => (typeof v === 'string' ? v.replace(LONE_SURROGATES, '\uFFFD') : v));

/**
 * The `admin_audit` table of authdb. `record` takes the transaction of the change, so the row and the
 * change commit together or not at all.
 */
export const adminAudit = {
  async record(tx: Queryable, entry: AdminAuditEntry): Promise<void> {
    await tx.query(
      `INSERT INTO admin_audit
         (request_id, actor_id, client_id, action, target_id, outcome, error_code, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)`,
      [
        entry.requestId,
        entry.actorId,
        entry.clientId,
        entry.action,
        entry.targetId ?? null,
        entry.outcome,
        entry.errorCode ?? null,
        json(entry.before),
        json(entry.after),
      ],
    );
  },

  /** Rows about one request or one target, oldest first (tests and investigations). */
  async list(db: Queryable, filter: { requestId?: string; targetId?: string }): Promise<AdminAuditRecord[]> {
    const { rows } = await db.query<Record<string, unknown>>(
      `SELECT * FROM admin_audit
       WHERE ($1::text IS NULL OR request_id = $1) AND ($2::text IS NULL OR target_id = $2)
       ORDER BY id`,
      [filter.requestId ?? null, filter.targetId ?? null],
    );
    return rows.map((row) => ({
      id: String(row.id),
      occurredAt: new Date(row.occurred_at as string).toISOString(),
      requestId: row.request_id as string,
      actorId: row.actor_id as string,
      clientId: row.client_id as string,
      action: row.action as string,
      targetId: (row.target_id as string | null) ?? null,
      outcome: row.outcome as 'success' | 'refused',
      errorCode: (row.error_code as string | null) ?? null,
      before: row.before ?? null,
      after: row.after ?? null,
    }));
  },
};
