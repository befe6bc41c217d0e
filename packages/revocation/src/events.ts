import { z } from 'zod';

export const authEventTypes = [
  'logout',
  'session-revoked',
  'roles-changed',
  'user-disabled',
  'user-enabled',
] as const;

/** A message on `auth.events`. Messages only speed things up; the Redis keys are the source of truth. */
export const authEventSchema = z.object({
  type: z.enum(authEventTypes),
  userId: z.string().min(1),
  sid: z.string().min(1).optional(),
  at: z.number().int().nonnegative(),
});

export type AuthEvent = z.infer<typeof authEventSchema>;

/** Parses a raw channel message; returns null for anything that is not a well-formed event. */
export function parseAuthEvent(raw: string): AuthEvent | null {
  try {
    const parsed = authEventSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
