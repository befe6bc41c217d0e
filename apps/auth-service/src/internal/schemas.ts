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
const name = z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters');

export const listQuery = z.object({
  q: z.string().trim().max(200, 'At most 200 characters').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const createUserBody = z.object({
  email: z.email('Enter a valid email').max(254),
  name,
  password: z.string().min(8, 'At least 8 characters').max(1024, 'At most 1024 characters'),
  roles: roles.default(['user']),
});

export const updateUserBody = z
  .object({ name: name.optional(), roles: roles.optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.roles !== undefined, { message: 'Change name or roles' });
