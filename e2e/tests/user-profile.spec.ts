import { expect, test } from '@playwright/test';
import { expectSignInPage, signInAt } from '../fixtures/sign-in';
import { DEMO, URLS } from '../fixtures/system';

test('a user signs in, edits the profile, reloads, signs out; private pages then lead to sign-in', async ({
  page,
}) => {
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();

  const displayName = page.getByLabel('Display name');
  await expect(displayName).not.toHaveValue('');
  const newName = `Demo ${Date.now().toString(36)}`;
  await displayName.fill(newName);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Profile saved')).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('Display name')).toHaveValue(newName);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${URLS.userWeb}/`);
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();

  await page.goto(`${URLS.userWeb}/profile`);
  await expectSignInPage(page);

  // The back button must not bring the private page (or its data) back, however far the user goes.
  await page.goto(`${URLS.userWeb}/`);
  for (let step = 0; step < 4; step++) {
    // A page the back button lands on may navigate again by itself (a private page goes to sign-in),
    // which interrupts goBack's own wait: that is the behaviour under test, not a failure.
    await page.goBack({ waitUntil: 'load' }).catch(() => null);
    await page.waitForLoadState('networkidle');
    await expect(page.getByLabel('Display name')).toHaveCount(0);
    await expect(page.getByText(newName)).toHaveCount(0);
  }
});

test('a 422 from the API shows beside the field and nothing is saved', async ({ page }) => {
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  const locale = page.getByLabel('Locale');
  await expect(locale).not.toHaveValue('');
  const before = await locale.inputValue();
  await locale.fill('not a locale!');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Must be a language tag such as en or fr-CA')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Locale')).toHaveValue(before);
});
