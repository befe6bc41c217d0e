import { z } from 'zod';

/** A secret that has a documented development default but must be set explicitly in production. */
export function devDefault(devValue: string) {
  return z
    .string()
    .min(1)
    .optional()
    .transform((value, ctx) => {
      if (value) return value;
      if (process.env.NODE_ENV === 'production') {
        ctx.addIssue({ code: 'custom', message: 'required when NODE_ENV=production (no dev default)' });
        return z.NEVER;
      }
      return devValue;
    });
}
