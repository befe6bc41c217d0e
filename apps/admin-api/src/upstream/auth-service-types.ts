import { z } from 'zod';

/**
 * The auth service's internal API as admin-api reads it. Parsing keeps only these fields, so nothing the
 * auth service adds by mistake (a password hash, say) reaches an admin's browser.
 */
export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable().optional(),
  roles: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  lastSignInAt: z.string().nullable().optional(),
});
export type User = z.infer<typeof userSchema>;

export const userPageSchema = z.object({
  items: z.array(userSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export type UserPage = z.infer<typeof userPageSchema>;

export const sessionSchema = z.object({
  sid: z.string(),
  clients: z.array(z.string()),
  createdAt: z.string().nullable().optional(),
  expiresAt: z.string().nullable().optional(),
});
export type Session = z.infer<typeof sessionSchema>;

export const logoutResultSchema = z.object({ revokedSessions: z.number().int().nonnegative() });
export const passwordResetSentSchema = z.object({ sent: z.literal(true) });
export const passwordChangeRequiredSchema = z.object({ passwordChangeRequired: z.literal(true) });

export interface NewUser {
  email: string;
  name: string;
  password: string;
  roles: string[];
}

export interface UserChange {
  name?: string | undefined;
  roles?: string[] | undefined;
}
