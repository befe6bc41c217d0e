import type { z } from 'zod';

/** Thrown at start-up when the environment is invalid; the message lists every bad variable. */
export class EnvError extends Error {
  readonly code = 'INVALID_ENV';
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses `source` (default process.env) with `schema`, naming each bad variable and why. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
) {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  return result.data as z.infer<S>;
}
