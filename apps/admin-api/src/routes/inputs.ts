import { AppError } from '@bff-auth/service-kit/errors';
import { fieldErrors, safeText } from '@bff-auth/service-kit/http';
import { newPasswordSchema } from '@bff-auth/service-kit/passwords';
import type { Context } from 'hono';
import { z } from 'zod';

/** Pages of lists: 20 rows by default, never more than 100. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

// A user id goes into the auth service's URL path: no slashes, no dot segments, no encoded anything.
const USER_ID = /^[A-Za-z0-9_-][A-Za-z0-9._:-]{0,127}$/;
const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;

export const userIdSchema = z.string().regex(USER_ID, 'Not a valid user id');

const page = z.coerce.number().int('Must be a whole number').min(1, 'Must be 1 or more').default(1);
const pageSize = z.coerce
  .number()
  .int('Must be a whole number')
  .min(1, 'Must be 1 or more')
  .max(MAX_PAGE_SIZE, `At most ${MAX_PAGE_SIZE}`)
  .default(DEFAULT_PAGE_SIZE);

export const userListQuerySchema = z.object({
  q: safeText().trim().max(200, 'At most 200 characters').optional(),
  page,
  pageSize,
});

const name = safeText().trim().min(1, 'Must not be empty').max(100, 'At most 100 characters');
const roles = z
  .array(z.string().regex(ROLE, 'Roles are lowercase words such as admin'))
  .max(20, 'At most 20 roles')
  .refine((list) => new Set(list).size === list.length, 'Each role once');

export const newUserSchema = z.strictObject({
  email: z.email('Must be an email address').max(254),
  name,
  password: newPasswordSchema,
  roles: roles.default([]),
});

export const userChangeSchema = z
  .strictObject({ name: name.optional(), roles: roles.optional() })
  .refine((change) => change.name !== undefined || change.roles !== undefined, {
    message: 'Send name, roles or both',
  });

export const auditQuerySchema = z.object({
  actor: safeText().max(200, 'At most 200 characters').optional(),
  target: safeText().max(200, 'At most 200 characters').optional(),
  action: safeText().max(64, 'At most 64 characters').optional(),
  outcome: z.enum(['success', 'denied', 'rejected', 'failed', 'pending']).optional(),
  page,
  pageSize,
});

/** Validates something that is not a JSON body (path parameter, query): 422 with field errors. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError(422, 'validation_failed', 'The request is invalid', {
      details: fieldErrors(parsed.error),
    });
  }
  return parsed.data;
}

/** The `:id` path parameter, checked before it goes anywhere near the auth service. */
export const userIdParam = (c: Context) =>
  parseInput(z.object({ id: userIdSchema }), { id: c.req.param('id') }).id;
