import { fileURLToPath } from 'node:url';
import {
  CookieJar,
  harnessCredentials,
  startAuthService,
  type TestAuthService,
} from '@bff-auth/auth-service/testing';
import { createTestDatabase, migrate } from '@bff-auth/db';
import { createLogger } from '@bff-auth/service-kit/logger';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { waitForRedis } from '@bff-auth/service-kit/redis';
import { createClientCredentialsTokenSource } from '@bff-auth/service-kit/upstream';
import { connectRevocationStore, createDpopReplayCache, createTokenVerifier } from '@bff-auth/token-verifier';
import fc from 'fast-check';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountClient } from './account/account-client';
import { describeUserAgent, type SessionView } from './account/session-view';
import { createApp, USER_API_AUDIENCE } from './app';

const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** `/api/v1/me`: the real user-api in front of the real auth service, with real tokens. */
describe('GET/POST/DELETE /api/v1/me/… (sessions and password)', () => {
  let auth: TestAuthService;
  let redis: RedisClient;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  const password = 'correct horse';

  beforeAll(async () => {
    auth = await startAuthService({
      loginLimits: { failuresPerAccountAndIp: 5, attemptsPerIp: 1000, windowSeconds: 60 },
    });
    const connection = connectRevocationStore({ url: auth.redis.url, keyPrefix: auth.redis.prefix });
    redis = connection.redis;
    await waitForRedis(redis);
    db = await createTestDatabase('user_api_me');
    await migrate(db, fileURLToPath(new URL('../migrations', import.meta.url)));
    app = createApp({
      db,
      redis,
      verifier: createTokenVerifier({
        issuer: auth.issuer,
        audience: USER_API_AUDIENCE,
        revocation: connection.store,
        // As the API runs: the harness's BFF tokens are DPoP-bound to its key.
        dpop: { mode: 'required', replay: createDpopReplayCache({ redis }) },
      }),
      logger: createLogger({ name: 'user-api', level: 'silent' }),
      account: createAccountClient({
        baseUrl: auth.accountUrl,
        tokens: createClientCredentialsTokenSource({
          issuer: auth.issuer,
          tokenUrl: `${auth.issuer}/token`,
          clientId: 'user-api',
          clientSecret: auth.secrets['user-api'],
          resource: auth.accountResource,
          scope: 'account:manage',
        }),
      }),
    });
  });

  afterAll(async () => {
    redis?.disconnect();
    await db?.cleanup();
    await auth?.close();
  });

  const request = async (token: string, method: string, path: string, body?: unknown) => {
    const url = `http://localhost/api/v1/me${path}`;
    return app.request(url, {
      method,
      headers: {
        ...(await harnessCredentials(method, url, token)),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  };
  const sessionsOf = async (token: string) => {
    const response = await request(token, 'GET', '/sessions');
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: SessionView[] }).data;
  };
  const refresh = (refreshToken: string) =>
    auth.tokenRequest('user-web', { grant_type: 'refresh_token', refresh_token: refreshToken });

  /** The user signed in from two browsers (two provider sessions). */
  async function twoBrowsers(email: string) {
    const user = await auth.createUser({ email, password });
    const first = await auth.signIn(email, password, { jar: new CookieJar() });
    const second = await auth.signIn(email, password, { jar: new CookieJar() });
    return { user, first, second };
  }

  it('lists the sessions with apps, browser and device, marking the caller’s own', async () => {
    const { first, second } = await twoBrowsers('list@example.com');
    const sessions = await sessionsOf(first.access_token);
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const mine = sessions.find((s) => s.current)!;
    expect(mine).toMatchObject({ apps: ['User app'], id: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
    expect(Object.keys(mine).sort()).toEqual(
      ['apps', 'browser', 'current', 'device', 'id', 'lastSeenAt', 'os', 'startedAt'].sort(),
    );
    // The other browser sees the same two, with the other one marked.
    const fromSecond = await sessionsOf(second.access_token);
    expect(fromSecond.find((s) => s.current)!.id).not.toBe(mine.id);
  });

  it('ends another session: its refresh dies and its tokens stop passing here', async () => {
    const { first, second } = await twoBrowsers('end@example.com');
    const other = (await sessionsOf(first.access_token)).find((s) => !s.current)!;
    const response = await request(first.access_token, 'DELETE', `/sessions/${other.id}`);
    expect(response.status).toBe(200);
    expect((await refresh(second.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await request(second.access_token, 'GET', '/sessions')).status).toBe(401);
    expect(await sessionsOf(first.access_token)).toHaveLength(1);
  });

  it("cannot end another user's session, whatever id it sends", async () => {
    const mallory = await twoBrowsers('mallory@example.com');
    const victim = await twoBrowsers('victim@example.com');
    const [target] = await sessionsOf(victim.first.access_token);
    const response = await request(mallory.first.access_token, 'DELETE', `/sessions/${target!.id}`);
    expect(response.status).toBe(404);
    expect(await sessionsOf(victim.first.access_token)).toHaveLength(2);
  });

  it('signs out everywhere else and keeps this session', async () => {
    const { first, second } = await twoBrowsers('others@example.com');
    const response = await request(first.access_token, 'POST', '/sessions/end-others');
    expect(((await response.json()) as { data: unknown }).data).toEqual({ endedSessions: 1 });
    expect((await request(second.access_token, 'GET', '/sessions')).status).toBe(401);
    const left = await sessionsOf(first.access_token);
    expect(left.map((s) => s.current)).toEqual([true]);
  });

  describe('POST /password', () => {
    it('refuses a wrong current password (422) and the old password keeps working', async () => {
      const { first } = await twoBrowsers('wrong@example.com');
      const response = await request(first.access_token, 'POST', '/password', {
        currentPassword: 'not it at all',
        newPassword: 'a brand new passphrase',
      });
      expect(response.status).toBe(422);
      const body = (await response.json()) as { error: { code: string; details: Record<string, string[]> } };
      expect(body.error.code).toBe('current_password_incorrect');
      expect(body.error.details.currentPassword).toEqual(['The current password is not correct']);
      await auth.signIn('wrong@example.com', password);
    });

    it('refuses a weak new password with the shared rule’s message', async () => {
      const { first } = await twoBrowsers('weak@example.com');
      const response = await request(first.access_token, 'POST', '/password', {
        currentPassword: password,
        newPassword: 'aaaaaaaaaa',
      });
      expect(response.status).toBe(422);
      const body = (await response.json()) as { error: { details: Record<string, string[]> } };
      expect(body.error.details.newPassword).toEqual(['Use at least 5 different characters']);
      await auth.signIn('weak@example.com', password);
    });

    it('changes the password and ends the other sessions; the old password stops working', async () => {
      const { first, second } = await twoBrowsers('change@example.com');
      const response = await request(first.access_token, 'POST', '/password', {
        currentPassword: password,
        newPassword: 'a brand new passphrase',
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: unknown }).data).toEqual({ endedSessions: 1 });
      expect((await request(second.access_token, 'GET', '/sessions')).status).toBe(401);
      expect(await sessionsOf(first.access_token)).toHaveLength(1);
      await expect(auth.signIn('change@example.com', password)).rejects.toThrow(/sign-in failed/);
      await auth.signIn('change@example.com', 'a brand new passphrase');
    });
  });

  it('answers bad input with success or a clean 4xx, and this session and the password stay', async () => {
    const { first } = await twoBrowsers('fuzz@example.com');
    const sid = decodeJwt(first.access_token).sid as string;
    // Never the right password: no run may change it.
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      fc.dictionary(fc.constantFrom('currentPassword', 'newPassword', 'currentSid', 'userId'), text),
    );
    const path = fc.oneof(
      fc.constantFrom('/password', '/sessions', '/sessions/', `/sessions/${sid}/x`, '/x'),
      fc.string().map((s) => `/sessions/${encodeURIComponent(s)}`),
    );
    let expected = 2;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), path, body, async (method, p, b) => {
        const response = await request(first.access_token, method, p, method === 'GET' ? undefined : b);
        await response.arrayBuffer();
        expect(response.status, `${method} ${p}`).toBeLessThan(500);
        // Only a successful "end the others" may end a session; a refused request changes nothing.
        if (response.ok && p.endsWith('/end-others')) expected = 1;
        if (response.status >= 400) expect(await sessionsOf(first.access_token)).toHaveLength(expected);
      }),
      { numRuns: 80 },
    );
    expect((await sessionsOf(first.access_token)).some((s) => s.current)).toBe(true);
    await auth.signIn('fuzz@example.com', password);
  });

  describe('two-step verification', () => {
    const codeAt = (manualKey: string, timestamp: number) =>
      new TOTP({ secret: Secret.fromBase32(manualKey) }).generate({ timestamp });
    const data = async <T>(response: Response) => ((await response.json()) as { data: T }).data;

    it('enrols, confirms and turns off for the token’s user; the next sign-in asks for a code', async () => {
      await auth.createUser({ email: 'totp@example.com', password });
      const { access_token } = await auth.signIn('totp@example.com', password);
      expect(await data(await request(access_token, 'GET', '/two-step'))).toEqual({
        enabled: false,
        recoveryCodesLeft: 0,
      });
      const started = await request(access_token, 'POST', '/two-step/enrolment');
      expect(started.status).toBe(200);
      const { manualKey, qrSvg } = await data<{ manualKey: string; qrSvg: string }>(started);
      expect(qrSvg).toContain('<svg');
      const wrong = await request(access_token, 'POST', '/two-step/confirm', { code: '12' });
      expect(wrong.status).toBe(422);
      const now = Date.now();
      // The previous step's code (within the window) confirms; the current one stays for the sign-in.
      const confirmed = await request(access_token, 'POST', '/two-step/confirm', {
        code: codeAt(manualKey, now - 30_000),
      });
      expect(confirmed.status).toBe(200);
      expect((await data<{ recoveryCodes: string[] }>(confirmed)).recoveryCodes).toHaveLength(10);

      await expect(auth.signIn('totp@example.com', password)).rejects.toThrow(/sign-in failed \(400\)/);
      const second = await auth.signIn('totp@example.com', password, { code: () => codeAt(manualKey, now) });
      expect(decodeJwt(second.access_token).amr).toEqual(['pwd', 'otp']);

      const off = await request(access_token, 'POST', '/two-step/disable', {
        code: codeAt(manualKey, now + 30_000),
      });
      expect(off.status).toBe(200);
      expect(await data(await request(access_token, 'GET', '/two-step'))).toMatchObject({ enabled: false });
    });

    it('answers bad input on the two-step routes with success or a clean 4xx', async () => {
      await auth.createUser({ email: 'totp-fuzz@example.com', password });
      const { access_token } = await auth.signIn('totp-fuzz@example.com', password);
      const body = fc.oneof(
        fc.constant(undefined),
        fc.string(),
        fc.json(),
        fc.dictionary(fc.constantFrom('code', 'userId'), fc.oneof(fc.string(), fc.integer())),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
          fc.constantFrom(
            '/two-step',
            '/two-step/enrolment',
            '/two-step/confirm',
            '/two-step/disable',
            '/two-step/x',
          ),
          body,
          async (method, p, b) => {
            const response = await request(access_token, method, p, method === 'GET' ? undefined : b);
            await response.arrayBuffer();
            expect(response.status, `${method} ${p}`).toBeLessThan(500);
          },
        ),
        { numRuns: 60 },
      );
      // Nothing confirmed a code: two-step verification is still off.
      expect(await data(await request(access_token, 'GET', '/two-step'))).toMatchObject({ enabled: false });
    });
  });

  it('describes a User-Agent as browser, system and device', () => {
    expect(describeUserAgent(CHROME_UA)).toEqual({ browser: 'Chrome 131.0', os: 'Linux', device: 'desktop' });
    expect(describeUserAgent('')).toEqual({
      browser: 'Unknown browser',
      os: 'Unknown system',
      device: 'unknown',
    });
  });
});
