import type { HttpBindings } from '@hono/node-server';
import { z } from 'zod';
import type { ProviderHost } from '../oidc/provider-host';
import { isWellFormedText } from '../users/email-key';

/** What the sign-in pages' routes share: the Hono bindings, the interaction lookup and the code form. */
export type HonoEnv = { Bindings: HttpBindings };

/** What the code page says for a wrong, expired or already used code. */
export const BAD_CODE = 'That code is not valid. Codes work once; wait for the next one.';

export const codeForm = z.object({
  code: z
    .string({ error: 'Enter the code' })
    .trim()
    .min(1, 'Enter the code')
    .max(64, 'That code is too long')
    .refine(isWellFormedText, 'That code contains characters we cannot read'),
});

/** This browser's interaction (its cookie), or undefined when it expired or is missing. */
export async function interactionDetails(host: ProviderHost, env: HttpBindings) {
  try {
    return await host.provider.interactionDetails(env.incoming, env.outgoing);
  } catch {
    return undefined; // expired or missing interaction cookie
  }
}
