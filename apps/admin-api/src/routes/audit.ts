import { methodNotAllowed, success } from '@bff-auth/service-kit/http';
import type { Logger } from '@bff-auth/service-kit/logger';
import { Hono } from 'hono';
import type { AuditLog } from '../audit/audit-log';
import { type AdminEnv, audited } from '../audit/audited';
import { requireAdmin } from '../require-admin';
import { auditQuerySchema, parseInput } from './inputs';

/** `GET /api/v1/admin/audit?actor=&target=&action=&outcome=&page=&pageSize=`, newest first. */
export function auditRoutes({ audit, logger }: { audit: AuditLog; logger: Logger }) {
  const app = new Hono<AdminEnv>();
  app.get('/', audited('audit.list', audit, logger), requireAdmin(), async (c) => {
    const query = parseInput(auditQuerySchema, c.req.query());
    c.var.audit.details = {
      actor: query.actor,
      target: query.target,
      action: query.action,
      outcome: query.outcome,
    };
    return success(c, await audit.list(query));
  });
  app.all('/', methodNotAllowed(['GET']));
  return app;
}
