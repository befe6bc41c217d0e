import { sealData, unsealData } from 'iron-session';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import { clearCookie, serializeCookie } from '../http/cookies';
import { DEFAULT_RETURN_TO } from '../return-to/safe-return-to';
import type { PasswordMap } from '../session/passwords';
import type { AuthorizationParams } from './oidc-client';

/** How long a sign-in may take between the redirect to the provider and the callback. */
export const TRANSACTION_TTL_SECONDS = 600;
/**
 * How long a cookie outlives its transaction: an expired or already used sign-in can then still be
 * explained in plain words, and its "Try again" link keeps the page the person was going to.
 */
export const TRANSACTION_GRACE_SECONDS = 300;
/** Sign-ins in flight per browser and app (one per tab that was sent to sign in). */
export const MAX_TRANSACTIONS = 5;
/**
 * Bytes (`name=value`) all transaction cookies of one app may take together. Every request to the host
 * carries them, next to two session cookies of up to 4 KB and the provider's cookies in development,
 * and servers refuse headers past 16 KB (Node's default).
 */
export const TRANSACTION_BUDGET_BYTES = 3072;
/**
 * Longest `returnTo` (bytes of its JSON form) a transaction keeps; a longer one becomes `/`. Without
 * a bound, a long or non-ASCII `returnTo` made the cookie exceed the browser's 4 KB, the browser
 * dropped it silently and the callback then failed.
 */
export const MAX_RETURN_TO_BYTES = 512;

/** Cookies past this many are deleted unread: only a hand-made Cookie header has them. */
const MAX_COOKIES_READ = MAX_TRANSACTIONS * 4;
/** `state` values we make are 43 base64url characters; anything else is not ours. */
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

const pendingSchema = z.object({
  kind: z.literal('pending'),
  state: z.string().regex(STATE_PATTERN),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
  returnTo: z.string().startsWith('/'),
  /** Epoch milliseconds. */
  createdAt: z.number().int(),
});
const usedSchema = z.object({
  kind: z.literal('used'),
  state: z.string().regex(STATE_PATTERN),
  returnTo: z.string().startsWith('/'),
  createdAt: z.number().int(),
});
const cookieSchema = z.discriminatedUnion('kind', [pendingSchema, usedSchema]);

/** A sign-in in flight: what the callback needs to redeem the code, and where to go afterwards. */
export type Transaction = z.infer<typeof pendingSchema>;
type StoredTransaction = z.infer<typeof cookieSchema>;

/** What the callback finds for its `state`. */
export type TransactionLookup =
  /** Usable: redeem the code with it (and mark it used in the same response). */
  | { status: 'pending'; transaction: Transaction }
  /** This sign-in already ended (a replayed callback: back button, reload, a copied URL). */
  | { status: 'used'; returnTo: string }
  /** It took longer than TRANSACTION_TTL_SECONDS. */
  | { status: 'expired'; returnTo: string }
  /** No cookie for this state (another browser, evicted, long gone), or a tampered one. */
  | { status: 'missing' };

export interface TransactionStore {
  /** Every transaction cookie's name starts with this (then the `state`). */
  readonly cookiePrefix: string;
  /** Fresh PKCE verifier, state and nonce; a `returnTo` longer than MAX_RETURN_TO_BYTES becomes `/`. */
  create(returnTo: string): Transaction & AuthorizationParams;
  /**
   * Set-Cookie values that start `transaction` next to the ones already in flight: its own cookie,
   * plus deletions of the cookies it pushes out (unreadable ones, then used or expired ones, then the
   * oldest, until at most MAX_TRANSACTIONS fit in TRANSACTION_BUDGET_BYTES).
   */
  begin(request: Request, transaction: Transaction): Promise<string[]>;
  /** The transaction of a callback's `state`. Never throws. */
  find(request: Request, state: string | null): Promise<TransactionLookup>;
  /**
   * The Set-Cookie value that ends a transaction: its cookie then only says "used" (no verifier, so it
   * can never redeem a code again) and where it was going, for TRANSACTION_GRACE_SECONDS.
   */
  markUsed(transaction: Transaction): Promise<string>;
  /** The Set-Cookie value that deletes a state's cookie (a no-op for a state that is not ours). */
  clear(state: string): string | null;
}

export interface TransactionStoreOptions {
  /** The session cookie's name, e.g. `__Host-user-session`; cookies are `${sessionCookieName}-tx.<state>`. */
  sessionCookieName: string;
  passwords: PasswordMap;
  /** Clock in epoch milliseconds. Default Date.now. */
  now?: () => number;
}

/** Whether a returnTo may go into a transaction cookie as it is. */
export const fitsTransaction = (returnTo: string) =>
  Buffer.byteLength(JSON.stringify(returnTo)) <= MAX_RETURN_TO_BYTES;

/** `name=value` pairs of a Cookie header, in order (malformed parts skipped). */
function cookiePairs(request: Request): Array<[string, string]> {
  const header = request.headers.get('cookie');
  if (!header) return [];
  const pairs: Array<[string, string]> = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    pairs.push([part.slice(0, eq).trim(), value]);
  }
  return pairs;
}

/**
 * The sealed cookies that carry state, nonce and PKCE verifier from `/login` to `/callback`: one per
 * `state`, so several tabs can sign in at once without overwriting each other's (nextjs-auth0 does the
 * same). Always `SameSite=Lax`: the callback is a top-level navigation from the provider's site.
 *
 * Several logins at the very same moment each see the same cookies, so the bounds can be passed by a
 * few cookies for a while; the next login brings them back within.
 */
export function createTransactionStore({
  sessionCookieName,
  passwords,
  now = Date.now,
}: TransactionStoreOptions): TransactionStore {
  const cookiePrefix = `${sessionCookieName}-tx.`;
  // The single cookie of earlier versions; deleted on the next login.
  const legacyName = `${sessionCookieName}-tx`;
  const cookieLifetime = TRANSACTION_TTL_SECONDS + TRANSACTION_GRACE_SECONDS;

  const seal = async (data: StoredTransaction, maxAge: number) => {
    const sealed = await sealData(data, { password: passwords, ttl: maxAge });
    return { name: cookiePrefix + data.state, value: sealed, maxAge };
  };
  const unseal = async (value: string): Promise<StoredTransaction | null> => {
    const data = await unsealData(value, { password: passwords, ttl: cookieLifetime });
    const parsed = cookieSchema.safeParse(data);
    return parsed.success ? parsed.data : null;
  };
  const isFresh = (t: StoredTransaction) =>
    t.kind === 'pending' && now() - t.createdAt <= TRANSACTION_TTL_SECONDS * 1000;
  const bytesOf = (name: string, value: string) => name.length + 1 + value.length;

  return {
    cookiePrefix,

    create(returnTo) {
      return {
        kind: 'pending',
        state: oauth.generateRandomState(),
        nonce: oauth.generateRandomNonce(),
        codeVerifier: oauth.generateRandomCodeVerifier(),
        returnTo: fitsTransaction(returnTo) ? returnTo : DEFAULT_RETURN_TO,
        createdAt: now(),
      };
    },

    async begin(request, transaction) {
      const own = await seal(transaction, cookieLifetime);
      const setCookie = [serializeCookie(own.name, own.value, { sameSite: 'Lax', maxAge: own.maxAge })];
      const drop = (name: string) => setCookie.push(clearCookie(name, 'Lax'));

      const inFlight: Array<{ name: string; bytes: number; fresh: boolean; createdAt: number }> = [];
      let read = 0;
      for (const [name, value] of cookiePairs(request)) {
        if (name === legacyName) drop(name);
        if (!name.startsWith(cookiePrefix) || name === own.name) continue;
        if (++read > MAX_COOKIES_READ) {
          drop(name);
          continue;
        }
        const stored = await unseal(value);
        if (!stored || cookiePrefix + stored.state !== name) drop(name);
        else
          inFlight.push({
            name,
            bytes: bytesOf(name, value),
            fresh: isFresh(stored),
            createdAt: stored.createdAt,
          });
      }
      // Keep fresh sign-ins before used or expired ones, newest first; the first that does not fit
      // goes, and so does everything after it (oldest dropped first).
      inFlight.sort((a, b) => Number(b.fresh) - Number(a.fresh) || b.createdAt - a.createdAt);
      let bytes = bytesOf(own.name, own.value);
      let kept = 1;
      let full = false;
      for (const cookie of inFlight) {
        full ||= kept + 1 > MAX_TRANSACTIONS || bytes + cookie.bytes > TRANSACTION_BUDGET_BYTES;
        if (full) {
          drop(cookie.name);
          continue;
        }
        kept++;
        bytes += cookie.bytes;
      }
      return setCookie;
    },

    async find(request, state) {
      if (!state || !STATE_PATTERN.test(state)) return { status: 'missing' };
      const name = cookiePrefix + state;
      const pair = cookiePairs(request).find(([n]) => n === name);
      if (!pair) return { status: 'missing' };
      const stored = await unseal(pair[1]);
      if (!stored || stored.state !== state) return { status: 'missing' };
      if (stored.kind === 'used') return { status: 'used', returnTo: stored.returnTo };
      if (!isFresh(stored)) return { status: 'expired', returnTo: stored.returnTo };
      return { status: 'pending', transaction: stored };
    },

    async markUsed({ state, returnTo, createdAt }) {
      const used = await seal({ kind: 'used', state, returnTo, createdAt }, TRANSACTION_GRACE_SECONDS);
      return serializeCookie(used.name, used.value, { sameSite: 'Lax', maxAge: used.maxAge });
    },

    clear(state) {
      return STATE_PATTERN.test(state) ? clearCookie(cookiePrefix + state, 'Lax') : null;
    },
  };
}
