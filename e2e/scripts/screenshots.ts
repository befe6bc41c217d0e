import { chromium } from '@playwright/test';
import { fillSignIn } from '../fixtures/sign-in';
import { DEMO, isRunning, startSystem, stopSystem, URLS } from '../fixtures/system';
import { CHROMIUM_PATH } from '../playwright.config';

/**
 * `npm run screenshots -w e2e`: the README's pictures, taken in Chromium from the e2e system
 * (started here unless one is running). Writes docs/screenshots/*.png at 1280×800 (the Security page
 * full length).
 */
const out = new URL('../../docs/screenshots/', import.meta.url).pathname;
const started = !(await isRunning());
if (started) await startSystem();
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${URLS.userWeb}/profile`);
  await page.getByLabel('Email').fill(DEMO.user.email);
  await page.screenshot({ path: `${out}sign-in.png` });
  await page.getByLabel('Email').fill('');
  await fillSignIn(page, DEMO.user);
  await page.waitForURL(`${URLS.userWeb}/profile`);
  await page.getByLabel('Display name').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}user-profile.png` });

  // The Security page with a second browser signed in, so both sessions show.
  const elsewhere = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await elsewhere.newPage();
  await other.goto(`${URLS.userWeb}/security`);
  await fillSignIn(other, DEMO.user);
  await other.waitForURL(`${URLS.userWeb}/security`);
  await page.goto(`${URLS.userWeb}/security`);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}security.png`, fullPage: true });
  await elsewhere.close();

  const admin = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await admin.goto(`${URLS.adminWeb}/users`);
  await fillSignIn(admin, DEMO.admin);
  await admin.waitForURL(`${URLS.adminWeb}/users`);
  await admin.getByRole('table').waitFor();
  await admin.waitForTimeout(300);
  await admin.screenshot({ path: `${out}admin-users.png` });
  await admin.getByRole('link', { name: DEMO.user.email }).click();
  await admin.getByRole('button', { name: 'Force logout' }).waitFor();
  await admin.waitForTimeout(300);
  await admin.screenshot({ path: `${out}admin-user-detail.png` });
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  if (started) await stopSystem();
}
