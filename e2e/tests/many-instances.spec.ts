import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { INSTANCES, LB_URLS, type LbSystem, startLbSystem } from '../fixtures/lb-system';
import { expectSignInPage, signInAt, uniqueEmail } from '../fixtures/sign-in';
import { ACCESS_TOKEN_TTL, DEMO, type ServiceName } from '../fixtures/system';

/**
 * SPEC §9 / issue #10: every service runs twice behind HAProxy (round-robin, no sticky sessions) on a
 * system of its own (fixtures/lb-system.ts). The browser signs in, edits, signs in to admin-web by SSO
 * and changes a user; then one instance of each service is killed (SIGKILL) while requests flow, and
 * nobody is signed out, every acknowledged write is still there, and a write caught on a dying
 * instance gets a clean error on the page.
 */
const SERVICES: ServiceName[] = ['auth-service', 'user-api', 'admin-api', 'user-web', 'admin-web'];

let system: LbSystem;
test.beforeAll(async () => {
  test.setTimeout(300_000);
  system = await startLbSystem();
});
test.afterAll(async () => {
  await system?.stop();
});

async function saveDisplayName(page: Page, name: string) {
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Save changes' }).click();
}

async function createUser(admin: Page, email: string) {
  await admin.getByLabel('Email').fill(email);
  await admin.getByLabel('Name').fill('LB Person');
  await admin.getByLabel('Password').fill('lb-e2e-password-123');
  await admin.getByRole('button', { name: 'Create user' }).click();
  await expect(admin.getByRole('link', { name: email })).toBeVisible();
}

/** GETs both BFFs' proxied routes one after another until `stop()`; returns every status seen. */
function keepReading(request: APIRequestContext) {
  const seen: { url: string; status: number; body: string }[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      for (const url of [`${LB_URLS.userWeb}/api/profile`, `${LB_URLS.adminWeb}/api/users`]) {
        const response = await request.get(url, { headers: { accept: 'application/json' } });
        seen.push({ url, status: response.status(), body: await response.text() });
      }
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      await done;
      return seen;
    },
  };
}

test('two instances of every service behind HAProxy: killing one of each signs nobody out and loses no write', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const admin = await context.newPage();
  const names = { first: `LB ${Date.now().toString(36)}`, second: '', third: '' };
  names.second = `${names.first} two`;
  names.third = `${names.first} three`;
  const created = [uniqueEmail('lb'), uniqueEmail('lb-after')];

  await test.step('sign in to user-web through the balancer and edit the profile', async () => {
    // The balanced system leaves TOTP optional (its admin has none): the password alone.
    await signInAt(page, `${LB_URLS.userWeb}/profile`, {
      email: DEMO.admin.email,
      password: DEMO.admin.password,
    });
    await saveDisplayName(page, names.first);
    await expect(page.getByText('Profile saved')).toBeVisible();
  });

  await test.step('single sign-on into admin-web and an admin change', async () => {
    await admin.goto(`${LB_URLS.adminWeb}/users`);
    await admin.waitForURL(`${LB_URLS.adminWeb}/users`);
    await expect(admin.getByRole('link', { name: 'admin@example.com' })).toBeVisible();
    await createUser(admin, created[0]!);
  });

  await test.step('round-robin: both instances of every service have served requests', async () => {
    await page.reload();
    await expect(page.getByLabel('Display name')).toHaveValue(names.first);
    await admin.reload();
    await expect(admin.getByRole('link', { name: created[0]! })).toBeVisible();
    const stats = await system.haproxy.stats();
    for (const service of SERVICES) {
      for (const instance of INSTANCES) {
        expect(stats.get(`${service}/${instance}`)?.stot, `${service}/${instance}`).toBeGreaterThan(0);
      }
    }
  });

  await test.step('SIGKILL one instance of each service while both BFFs are being read', async () => {
    const reader = keepReading(context.request);
    await expect.poll(() => reader.seen.length).toBeGreaterThan(4);
    for (const service of SERVICES) await system.kill(service, 'a');
    for (const service of SERVICES) await system.waitForStatus(`${service}/a`, /^DOWN/);
    // Keep reading past an access token's lifetime, so the sessions refresh through the survivors.
    const killedAt = reader.seen.length;
    await page.waitForTimeout((ACCESS_TOKEN_TTL + 2) * 1000);
    const seen = await reader.stop();
    expect(seen.length).toBeGreaterThan(killedAt);
    // Nobody was signed out, and every answer was the BFF's own (a JSON envelope, never a bare 502).
    for (const { url, status, body } of seen) {
      expect(status, `${url}: ${body}`).not.toBe(401);
      expect(JSON.parse(body), `${url}: ${body}`).toHaveProperty('status');
    }
    // Once the balancer knows, every read is answered by the instance that is left.
    const last = seen.slice(-4);
    expect(
      last.map((s) => s.status),
      JSON.stringify(last),
    ).toEqual([200, 200, 200, 200]);
  });

  await test.step('nobody is signed out and every acknowledged write is there', async () => {
    await page.reload();
    await expect(page.getByLabel('Display name')).toHaveValue(names.first);
    await admin.reload();
    await expect(admin.getByRole('link', { name: created[0]! })).toBeVisible();
    for (const url of [LB_URLS.userWeb, LB_URLS.adminWeb]) {
      const session = await (await context.request.get(`${url}/api/auth/session`)).json();
      expect(session.authenticated, url).toBe(true);
    }
  });

  await test.step('writes go on through the surviving instances', async () => {
    await saveDisplayName(page, names.second);
    await expect(page.getByText('Profile saved').first()).toBeVisible();
    await createUser(admin, created[1]!);
    await page.reload();
    await expect(page.getByLabel('Display name')).toHaveValue(names.second);
    await admin.reload();
    await expect(admin.getByRole('link', { name: created[1]! })).toBeVisible();
  });

  await test.step('a write caught on an instance that dies gets a clean error, and nothing is lost', async () => {
    // user-api `a` again, then every request to user-api on it: `b` in maintenance, `a` frozen with its
    // health check off (so the balancer keeps sending to it) — the write is in flight when `a` dies.
    await system.restart('user-api', 'a');
    await system.haproxy.command('disable health user-api/a');
    await system.haproxy.command('set server user-api/b state maint');
    system.pause('user-api', 'a');
    await saveDisplayName(page, names.third);
    await expect
      .poll(async () => (await system.haproxy.stats()).get('user-api/a')?.scur ?? 0)
      .toBeGreaterThan(0);
    await system.kill('user-api', 'a');
    await expect(page.getByText('The service is temporarily unavailable')).toBeVisible();
    await system.haproxy.command('set server user-api/b state ready');
    await system.haproxy.command('enable health user-api/a');
    await system.waitForStatus('user-api/a', /^DOWN/);

    // Not acknowledged, not applied; the acknowledged one before it is kept. Still signed in.
    await page.reload();
    await expect(page.getByLabel('Display name')).toHaveValue(names.second);
    // The same edit, tried again, saves (the BFF's breaker saw one failure, far from opening).
    await saveDisplayName(page, names.third);
    await expect(page.getByText('Profile saved').first()).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Display name')).toHaveValue(names.third);
  });

  await test.step('sign out through the balancer ends both apps, the open admin-web tab on its own', async () => {
    await page.bringToFront();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${LB_URLS.userWeb}/`);
    await page.goto(`${LB_URLS.userWeb}/profile`);
    await expectSignInPage(page);
    // Back-channel logout reached an admin-web instance, which pushed it (Redis) to the stream of the
    // open tab, whichever instance holds it: the tab leaves the private page by itself.
    await expect(admin).not.toHaveURL(`${LB_URLS.adminWeb}/users`);
    await expect(admin.getByRole('link', { name: DEMO.admin.email })).toHaveCount(0);
    await admin.goto(`${LB_URLS.adminWeb}/users`);
    await expectSignInPage(admin);
  });
  await context.close();
});
