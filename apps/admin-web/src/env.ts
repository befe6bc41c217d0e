import 'server-only';
import { z } from 'zod';

const schema = z.object({
  /** The user app, offered to people who reach the admin app without the admin role. */
  USER_WEB_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3002'),
});

let cached: z.infer<typeof schema> | undefined;

/**
 * admin-web's own settings (the BFF's are read by @bff-auth/bff-next). Parsed on first use, not at
 * import, so `next build` needs no environment.
 */
export function appEnv() {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`@bff-auth/admin-web: invalid environment (${problems})`);
    }
    cached = parsed.data;
  }
  return cached;
}
