import { sealData, unsealData } from 'iron-session';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import { clearCookie, readCookie, serializeCookie } from '../http/cookies';
import type { PasswordMap } from '../session/passwords';
import type { AuthorizationParams } from './oidc-client';

/** How long a sign-in may take between the redirect to the provider and the callback. */
export const TRANSACTION_TTL_SECONDS = 600;

const transactionSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
  returnTo: z.string().startsWith('/'),
});

export type Transaction = z.infer<typeof transactionSchema>;

export interface TransactionStore {
  readonly cookieName: string;
  /** Fresh PKCE verifier, state and nonce. */
  create(returnTo: string): Transaction & AuthorizationParams;
  /** The Set-Cookie value carrying the sealed transaction. */
  seal(transaction: Transaction): Promise<string>;
  /** The request's transaction, or null (absent, tampered, expired). */
  read(request: Request): Promise<Transaction | null>;
  clear(): string;
}

/**
 * The short-lived sealed cookie that carries state, nonce and PKCE verifier from `/login` to
 * `/callback`. Always `SameSite=Lax`: the callback is a top-level navigation from the provider's site.
 */
export function createTransactionStore({
  cookieName,
  passwords,
}: {
  /** e.g. `__Host-user-session-tx`. */
  cookieName: string;
  passwords: PasswordMap;
}): TransactionStore {
  return {
    cookieName,
    create(returnTo) {
      return {
        state: oauth.generateRandomState(),
        nonce: oauth.generateRandomNonce(),
        codeVerifier: oauth.generateRandomCodeVerifier(),
        returnTo,
      };
    },
    async seal(transaction) {
      const sealed = await sealData(transaction, { password: passwords, ttl: TRANSACTION_TTL_SECONDS });
      return serializeCookie(cookieName, sealed, { sameSite: 'Lax', maxAge: TRANSACTION_TTL_SECONDS });
    },
    async read(request) {
      const sealed = readCookie(request, cookieName);
      if (!sealed) return null;
      const data = await unsealData(sealed, { password: passwords, ttl: TRANSACTION_TTL_SECONDS });
      const parsed = transactionSchema.safeParse(data);
      return parsed.success ? parsed.data : null;
    },
    clear() {
      return clearCookie(cookieName, 'Lax');
    },
  };
}
