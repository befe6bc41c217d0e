import { safeText } from '@bff-auth/service-kit/http';
import { newPasswordSchema } from '@bff-auth/service-kit/passwords';
import { z } from 'zod';

const role = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,31}$/,
    'A role is 1–32 lower-case letters, digits, - or _, starting with a letter',
  );
const roles = z
  .array(role)
  .max(20, 'At most 20 roles')
  .transform((list) => [...new Set(list)]);
const name = safeText().trim().min(1, 'Enter a name').max(100, 'At most 100 characters');
export const listQuery = z.object({
  q: safeText().trim().max(200, 'At most 200 characters').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const createUserBody = z.object({
  email: z.email('Enter a valid email').max(254),
  name,
  password: newPasswordSchema,
  roles: roles.default(['user']),
});

export const updateUserBody = z
  .object({ name: name.optional(), roles: roles.optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.roles !== undefined, { message: 'Change name or roles' });

// The same shape as admin-api's user ids: the acting admin's `sub`, relayed in a header.
const ACTOR_ID = /^[A-Za-z0-9_-][A-Za-z0-9._:-]{0,127}$/;

/** `X-Acting-Admin`: who asked admin-api for the change (required on every change). */
export const ACTING_ADMIN_HEADER = 'x-acting-admin';
export const actingAdminHeader = z
  .string({ error: 'Name the acting admin' })
  .regex(ACTOR_ID, 'Not a valid user id');
