import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../env';
import { createMailSender } from './create-mail-sender';
import { readOutbox } from './outbox-mail-sender';

const PRODUCTION = {
  NODE_ENV: 'production',
  USER_WEB_CLIENT_SECRET: 'a',
  ADMIN_WEB_CLIENT_SECRET: 'b',
  ADMIN_API_CLIENT_SECRET: 'c',
  USER_API_CLIENT_SECRET: 'd',
  COOKIE_KEYS: 'e',
  SIGNING_KEY_SECRET: 'f',
};

describe('mail configuration', () => {
  it('refuses to start in production without SMTP, unless the outbox is explicitly allowed', () => {
    expect(() => loadEnv(PRODUCTION)).toThrow(/SMTP_URL: production sends password reset links through SMTP/);
    expect(() => loadEnv({ ...PRODUCTION, SMTP_URL: '' })).toThrow(/SMTP_URL/);
    expect(loadEnv({ ...PRODUCTION, MAIL_ALLOW_OUTBOX: 'true' }).mail.smtpUrl).toBeUndefined();
    const smtp = loadEnv({ ...PRODUCTION, SMTP_URL: 'smtps://u:p@smtp.example.com:465' });
    expect(createMailSender(smtp.mail).description).toBe('smtp:smtp.example.com');
    expect(() => loadEnv({ ...PRODUCTION, SMTP_URL: 'http://smtp.example.com' })).toThrow(
      /smtp:\/\/ or smtps:\/\//,
    );
  });

  it('uses the outbox outside production: MAIL_OUTBOX_DIR, else .data/outbox under DATA_DIR', () => {
    expect(loadEnv({ MAIL_OUTBOX_DIR: '/tmp/box' }).mail.outboxDir).toBe('/tmp/box');
    expect(loadEnv({ DATA_DIR: '/srv/data' }).mail.outboxDir).toBe(join('/srv/data', 'outbox'));
    expect(loadEnv({}).mail.outboxDir).toMatch(/\.data[/\\]outbox$/);
  });
});

describe('outbox mail sender', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes each message as one JSON file, creating the folder, read back oldest first', async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'outbox-test-')), 'nested');
    const mail = createMailSender({ from: 'Sign-in <no-reply@test>', outboxDir: dir });
    await mail.send({ to: 'a@example.com', subject: 'one', text: 'first' });
    await mail.send({ to: 'b@example.com', subject: 'two', text: 'second' });
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toHaveLength(2);
    expect(await readOutbox(dir)).toMatchObject([
      { from: 'Sign-in <no-reply@test>', to: 'a@example.com', subject: 'one', text: 'first' },
      { to: 'b@example.com', subject: 'two', text: 'second' },
    ]);
  });
});
