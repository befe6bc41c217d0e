import { z } from 'zod';

/**
 * A comma-separated list (`at+jwt,JWT`), trimmed, empty entries dropped; `fallback` when unset. An
 * explicitly empty list is refused: say what you want instead of meaning "none" by accident.
 */
export const listFromEnv = (fallback: readonly string[]) =>
  z
    .string()
    .default(fallback.join(','))
    .transform((value, ctx) => {
      const items = value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      if (!items.length) {
        ctx.addIssue({ code: 'custom', message: 'must name at least one value (comma-separated)' });
        return z.NEVER;
      }
      return [...new Set(items)];
    });
