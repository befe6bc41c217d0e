/** The admin-api shapes the browser sees (through the BFF); see apps/admin-api/src/upstream/auth-service-types.ts. */

export interface AdminUser {
  id: string;
  email: string;
  name?: string | null;
  roles: string[];
  disabled: boolean;
  createdAt?: string;
  updatedAt?: string;
  lastSignInAt?: string | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface UserSession {
  sid: string;
  clients: string[];
  createdAt?: string | null;
  expiresAt?: string | null;
}

export type AuditOutcome = 'success' | 'denied' | 'rejected' | 'failed';

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
}

/** The roles an admin can grant with a checkbox; other roles a user already has are kept and shown too. */
export const KNOWN_ROLES = ['user', 'admin'] as const;
export const ADMIN_ROLE = 'admin';

/** Audit actions admin-api records (apps/admin-api README). */
export const AUDIT_ACTIONS = [
  'users.list',
  'users.create',
  'users.read',
  'users.update',
  'users.disable',
  'users.enable',
  'users.logout',
  'users.password_reset.send',
  'users.password_change.require',
  'users.sessions',
  'audit.list',
] as const;

export const pageCount = (page: Pick<Page<unknown>, 'total' | 'pageSize'>) =>
  Math.max(1, Math.ceil(page.total / Math.max(1, page.pageSize)));
