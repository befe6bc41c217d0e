/**
 * Micro-benchmarks of the per-request path (SPEC §10). Prints numbers; asserts nothing.
 *   npm run bench -w @bff-auth/bff-core          (REDIS_URL for the auth-path part; default local)
 *   tsx bench/run.ts --json <file>                also writes the results as JSON (the repo's bench/ reads it)
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedis, waitForRedis } from '@bff-auth/service-kit/redis';
import { unsealData } from 'iron-session';
import { jwtVerify } from 'jose';
import { Pool } from 'undici';
import { authenticate } from '../src/bff/authenticate';
import { createBff } from '../src/bff/create-bff';
import type { SessionData } from '../src/session/session-data';
import { createSessionStore } from '../src/session/session-store';
import { PROFILE_GET_ROUTE } from '../src/testing/bff-fixture';
import { signJwt, testKeys, twentyRoles } from '../src/testing/tokens';

const passwords = { 1: 'bench-password-bench-password-bench-password' };

const ISSUER = 'http://localhost:8002';

async function sessionData(privateKey: CryptoKey): Promise<SessionData> {
  const base = { iss: ISSUER, sub: randomUUID(), sid: randomUUID(), roles: twentyRoles() };
  const now = Math.floor(Date.now() / 1000);
  return {
    v: 1,
    uid: base.sub,
    sid: base.sid,
    cat: now,
    at: await signJwt(privateKey, { ...base, aud: 'user-api', jti: randomUUID() }, { typ: 'at+jwt' }),
    ate: now + 3600,
    rt: randomUUID() + randomUUID(),
    idt: await signJwt(privateKey, { ...base, aud: 'user-web', email: 'a@example.com', name: 'A' }),
  };
}

interface MicroResult {
  name: string;
  iterations: number;
  microsPerOp: number;
  opsPerSec: number;
}
const results: MicroResult[] = [];
const WARMUP = 200;

/** Runs fn(0..WARMUP-1) unmeasured, then fn(WARMUP..WARMUP+iterations-1) timed: no index repeats. */
async function measure(name: string, iterations: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await fn(WARMUP + i);
  const micros = ((performance.now() - started) * 1000) / iterations;
  results.push({ name, iterations, microsPerOp: micros, opsPerSec: Math.round(1e6 / micros) });
  console.log(
    `${name.padEnd(48)} ${micros.toFixed(1).padStart(9)} µs/op ${Math.round(1e6 / micros)
      .toString()
      .padStart(9)} ops/s`,
  );
}

const requestWith = (cookie: string) =>
  new Request('http://localhost:3002/api/profile', { headers: { cookie } });

const keys = await testKeys();
const data = await sessionData(keys.privateKey);
const store = () =>
  createSessionStore({
    cookieName: '__Host-user-session',
    sameSite: 'Lax',
    passwords,
    ttlSeconds: 3600,
    cacheSize: 10_000,
  });
const sealer = store();
const cookies = await Promise.all(
  Array.from({ length: 1200 }, () => sealer.seal(data).then((c) => c.split(';')[0]!)),
);
console.log(`sealed cookie with 20 roles: ${cookies[0]!.length} bytes`);

const cold = store();
await measure('iron-session unsealData (raw)', 500, (i) =>
  unsealData(cookies[i]!.slice(cookies[i]!.indexOf('=') + 1), { password: passwords, ttl: 3600 }),
);
await measure('session unseal, cold (distinct cookies)', 1000, (i) => cold.read(requestWith(cookies[i]!)));
const warm = store();
await measure('session unseal, cached (same cookie)', 20_000, () => warm.read(requestWith(cookies[0]!)));
await measure('session seal', 500, () => sealer.seal(data));
await measure('jose jwtVerify RS256 (access token)', 5000, () =>
  jwtVerify(data.at!, keys.publicKey, {
    algorithms: ['RS256'],
    issuer: ISSUER,
    audience: 'user-api',
    typ: 'at+jwt',
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
  }),
);

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = createRedis({ url, keyPrefix: `bench:${randomUUID().slice(0, 8)}:` });
try {
  await waitForRedis(redis, 2000);
  const bff = createBff({
    appOrigin: 'http://localhost:3002',
    issuer: 'http://localhost:8002',
    clientId: 'user-web',
    clientSecret: 'bench',
    session: { passwords },
    redis,
  });
  // The auth service declares the revocation state complete; until then every check fails closed (503).
  await bff.context.revocation.markRestored();
  const cookie = (await bff.context.sessions.seal(data)).split(';')[0]!;
  await measure('auth path: cached unseal + Redis revocation check', 5000, async () => {
    const outcome = await authenticate(bff.context, requestWith(cookie));
    if (outcome.kind !== 'authenticated') throw new Error(`auth path: ${outcome.kind}`);
  });
  await bff.close();

  // The whole proxied GET against a stub upstream in this process (keep-alive): minus the bare round
  // trip below, it is the BFF's own cost per proxied GET (the stub's share is in both).
  const body = JSON.stringify({ status: 'success', data: { firstName: 'A', lastName: 'B', locale: 'en' } });
  const upstream = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'ratelimit-limit': '1000',
      'ratelimit-remaining': '999',
      'x-request-id': 'stub',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const proxying = createBff({
    appOrigin: 'http://localhost:3002',
    issuer: 'http://localhost:8002',
    clientId: 'user-web',
    clientSecret: 'bench',
    session: { passwords },
    redis,
    upstreams: { 'user-api': { url: upstreamUrl } },
    routes: {
      'profile.get': { ...PROFILE_GET_ROUTE, fallback: 'cache' },
    },
  });
  const proxyCookie = (await proxying.context.sessions.seal(data)).split(';')[0]!;
  await measure('proxied GET: handleProxy to a stub upstream', 3000, async () => {
    const response = await proxying.handleProxy(requestWith(proxyCookie), 'profile.get');
    if (response.status !== 200)
      throw new Error(`proxied GET answered ${response.status}: ${await response.text()}`);
    return response.text();
  });
  const pool = new Pool(upstreamUrl, { connections: 4 });
  await measure('bare round trip to the stub upstream (undici)', 3000, async () => {
    const response = await pool.request({ method: 'GET', path: '/api/v1/profiles/me' });
    return response.body.text();
  });
  await pool.close();
  await proxying.close();
  await new Promise((resolve) => upstream.close(resolve));
} catch (error) {
  console.log(`auth path skipped: Redis at ${url} unavailable (${(error as Error).message})`);
} finally {
  redis.disconnect();
}

const jsonAt = process.argv.indexOf('--json');
if (jsonAt > 0 && process.argv[jsonAt + 1]) {
  writeFileSync(
    process.argv[jsonAt + 1]!,
    JSON.stringify({ cookieBytes: cookies[0]!.length, results }, null, 2),
  );
}
