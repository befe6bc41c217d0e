import type { ClaimPath } from '@bff-auth/claims';
import { sealData, unsealData } from 'iron-session';
import { LRUCache } from 'lru-cache';
import { BffConfigError, BffError } from '../errors';
import { clearCookie, readCookie, type SameSite, serializeCookie } from '../http/cookies';
import { checkPasswordMap, type PasswordMap } from './passwords';
import { decodeSession, encodeSession } from './session-codec';
import { MAX_COOKIE_BYTES } from './session-cookie';
import { type SessionData, type SessionUser, sessionDataSchema, userOf } from './session-data';

/** Default bound of the unseal cache (entries); each entry is a few KB (the sealed value and the session). */
export const DEFAULT_UNSEAL_CACHE_SIZE = 5000;
/** iron-session's skew: the cookie expires a minute before the seal. */
const COOKIE_SKEW_SECONDS = 60;

export interface SessionStoreOptions {
  /** `__Host-user-session` / `__Host-admin-session` (SESSION_COOKIE_NAMES). */
  cookieName: string;
  /** `Lax` (user app) or `Strict` (admin app). */
  sameSite: SameSite;
  /** `{ [id]: password }`; the highest id seals, all unseal. Each at least 32 characters. */
  passwords: PasswordMap;
  /** Seal lifetime in seconds (SESSION_TTL_SECONDS). */
  ttlSeconds: number;
  /** Maximum entries of the unseal cache. Default DEFAULT_UNSEAL_CACHE_SIZE. */
  cacheSize?: number;
  /** Clock in epoch milliseconds. Default Date.now. */
  now?: () => number;
  /** Where the roles are in the tokens (userOf). Default `roles`. */
  rolesClaim?: ClaimPath;
}

/** A session read from a request cookie. */
export interface Session {
  data: SessionData;
  user: SessionUser;
}

export interface SessionStore {
  readonly cookieName: string;
  readonly sameSite: SameSite;
  /** The request's session, or null when absent, tampered, expired or sealed with an unknown password. Never throws. */
  read(request: Request): Promise<Session | null>;
  /** Seals the data; returns the Set-Cookie value. @throws BffError `session_too_large` past 4096 bytes. */
  seal(data: SessionData): Promise<string>;
  /** The Set-Cookie value that ends the session. */
  clear(): string;
  /** The user view of session data (roles at the store's `rolesClaim`). */
  userOf(data: SessionData): SessionUser;
  /** Unseal cache statistics, for benchmarks. */
  readonly cache: { size: number };
}

interface CacheEntry {
  session: Session;
  /** Seal expiry, epoch ms. */
  expiresAt: number;
}

/** iron seals carry their expiry (ms) in the sixth `*`-separated field, covered by the HMAC. */
function sealExpiry(sealed: string): number {
  const expiration = sealed.split('*')[5];
  return expiration ? Number(expiration) : 0;
}

/**
 * Creates the sealed-cookie session store. Unsealing costs hundreds of microseconds, so a bounded
 * LRU keyed by the sealed value remembers the answer (SPEC §10); the seal's own expiry is still
 * honoured on every hit.
 */
export function createSessionStore({
  cookieName,
  sameSite,
  passwords,
  ttlSeconds,
  cacheSize = DEFAULT_UNSEAL_CACHE_SIZE,
  now = Date.now,
  rolesClaim,
}: SessionStoreOptions): SessionStore {
  checkPasswordMap(passwords, 'session.passwords');
  if (!cookieName.startsWith('__Host-')) {
    throw new BffConfigError('session.cookieName must start with __Host- (no Domain, Path=/, Secure)');
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= COOKIE_SKEW_SECONDS) {
    throw new BffConfigError(`session.ttlSeconds must be an integer above ${COOKIE_SKEW_SECONDS}`);
  }
  const cache = new LRUCache<string, CacheEntry>({ max: cacheSize });
  const userOfData = (data: SessionData) => userOf(data, rolesClaim);

  return {
    cookieName,
    sameSite,
    cache,

    async read(request) {
      const sealed = readCookie(request, cookieName);
      if (!sealed) return null;
      // Keyed by the sealed value itself: a Map lookup hashes the string natively, where a SHA-256 of
      // 2–4 KB on every request cost more than the rest of the lookup. The cache lives in this process
      // only and already holds the unsealed session, so the ciphertext as a key reveals nothing more.
      const hit = cache.get(sealed);
      if (hit) {
        if (hit.expiresAt > now()) return hit.session;
        cache.delete(sealed);
        return null;
      }
      const raw = await unsealData<unknown>(sealed, { password: passwords, ttl: ttlSeconds });
      const parsed = sessionDataSchema.safeParse(decodeSession(raw));
      if (!parsed.success) return null;
      const session: Session = { data: parsed.data, user: userOfData(parsed.data) };
      cache.set(sealed, { session, expiresAt: sealExpiry(sealed) || now() + ttlSeconds * 1000 });
      return session;
    },

    async seal(data) {
      const sealed = await sealData(encodeSession(data), { password: passwords, ttl: ttlSeconds });
      if (cookieName.length + 1 + sealed.length > MAX_COOKIE_BYTES) {
        throw new BffError(500, 'session_too_large', 'The session does not fit in a cookie');
      }
      return serializeCookie(cookieName, sealed, { sameSite, maxAge: ttlSeconds - COOKIE_SKEW_SECONDS });
    },

    clear() {
      return clearCookie(cookieName, sameSite);
    },

    userOf: userOfData,
  };
}
