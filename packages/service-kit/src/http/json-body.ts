import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../errors';
import { fieldErrors } from './error-handler';

/**
 * Reads a JSON body and validates it: 415 when it is not JSON, 400 when it does not parse,
 * 422 with field errors when it does not match the schema.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new AppError(400, 'invalid_json', 'The body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(422, 'validation_failed', 'The request is invalid', {
      details: fieldErrors(parsed.error),
    });
  }
  return parsed.data;
}
