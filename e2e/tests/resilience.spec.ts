import { expect, test } from '@playwright/test';
import { signInAt } from '../fixtures/sign-in';
import {
  ACCESS_TOKEN_TTL,
  DEMO,
  killService,
  pauseService,
  REFRESH_SKEW,
  restartService,
  resumeService,
  URLS,
} from '../fixtures/system';

test('user-api down: cached profile with a stale notice, edits fail, recovery without a reload', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  const displayName = page.getByLabel('Display name');
  await expect(displayName).not.toHaveValue('');
  const cached = await displayName.inputValue();

  await killService('user-api');
  try {
    await page.reload();
    await expect(page.getByText('Showing saved data')).toBeVisible();
    await expect(page.getByLabel('Display name')).toHaveValue(cached);

    await page.getByLabel('Display name').fill(`${cached} (offline edit)`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('alert').filter({ hasNotText: 'Showing saved data' }).first()).toBeVisible();
  } finally {
    await restartService('user-api');
  }
  // The breaker half-opens after 30 s at most; the page keeps polling while it shows saved data.
  await expect(page.getByText('Showing saved data')).toHaveCount(0, { timeout: 60_000 });
  // Fresh again, in the same page: the edit the user kept in the form now saves.
  await expect(page.getByLabel('Display name')).toHaveValue(`${cached} (offline edit)`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Profile saved')).toBeVisible();
  await page.getByLabel('Display name').fill(cached);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Profile saved').first()).toBeVisible();
});

test('user-api hangs: at its deadline the profile shows the saved copy, and recovers once it answers', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  const displayName = page.getByLabel('Display name');
  await expect(displayName).not.toHaveValue('');
  const cached = await displayName.inputValue();

  // SIGSTOP: the process keeps its port and sockets but answers nothing — a hang, not an outage.
  pauseService('user-api');
  try {
    const started = Date.now();
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/profile'), { timeout: 30_000 });
    await page.reload();
    const profile = await answer;
    expect(profile.status()).toBe(200);
    expect(profile.headers()['x-bff-fallback']).toBe('cache');
    console.info(`hung user-api: saved copy served after ${Date.now() - started} ms (deadline 10 s)`);
    await expect(page.getByText('Showing saved data')).toBeVisible();
    await expect(page.getByLabel('Display name')).toHaveValue(cached);
  } finally {
    resumeService('user-api');
  }
  await expect(page.getByText('Showing saved data')).toHaveCount(0, { timeout: 60_000 });
});

test('with a short access-token lifetime a user keeps working across several expiries', async ({ page }) => {
  test.setTimeout(90_000);
  expect(ACCESS_TOKEN_TTL).toBeLessThan(15);
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  await expect(page.getByLabel('Display name')).not.toHaveValue('');

  // About four refresh periods, one round a second.
  const rounds = (ACCESS_TOKEN_TTL - REFRESH_SKEW) * 4;
  const result = await page.evaluate(async (n) => {
    const statuses: number[] = [];
    const expiries = new Set<string>();
    for (let i = 0; i < n; i++) {
      const responses = await Promise.all([
        ...Array.from({ length: 5 }, () => fetch('/api/profile', { cache: 'no-store' })),
        fetch('/api/auth/session', { cache: 'no-store' }),
      ]);
      for (const r of responses) statuses.push(r.status);
      const session = await responses[5]!.json();
      if (session.expiresAt) expiries.add(session.expiresAt);
      await new Promise((r) => setTimeout(r, 1000));
    }
    return { statuses, expiries: [...expiries] };
  }, rounds);

  expect(result.statuses.filter((s) => s !== 200)).toEqual([]);
  expect(result.expiries.length).toBeGreaterThanOrEqual(3);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
});
