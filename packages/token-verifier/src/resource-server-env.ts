import { z } from 'zod';

/**
 * The environment variables of every resource server that checks access tokens, to `.extend()` a
 * service's env schema with: one definition for user-api and admin-api.
 */
export const resourceServerEnv = {
  /**
   * DPoP (RFC 9449). `required` (default): every request must carry a token bound to a key and a proof
   * from that key. `allowed`: unbound Bearer tokens pass too, for providers or clients without DPoP. A bound
   * token needs its proof either way.
   */
  ACCESS_TOKEN_DPOP: z.enum(['required', 'allowed']).default('required'),
  /**
   * The origin clients call this API at, when a proxy in front of it changes scheme, host or port (a DPoP
   * proof names the URL the client called). Default: the request's own origin.
   */
  API_PUBLIC_ORIGIN: z
    .url()
    .refine((value) => URL.parse(value)?.origin === value, 'an origin such as https://api.example.com')
    .optional(),
};
