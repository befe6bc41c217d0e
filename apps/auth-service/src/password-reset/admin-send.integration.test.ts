import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAudit } from '../internal/audit-trail';
import type { MailMessage } from '../mail/mail-sender';
import { startAuthService, type TestAuthService } from '../testing';

const PASSWORD = 'correct horse';
const ADMIN = '11111111-1111-4111-8111-111111111111';

/** **Send password reset** through the internal API (admin-api's call), audited with the link. */
describe('internal API: send password reset', () => {
  let auth: TestAuthService;
  let token: string;
  // A mail port that can be told to fail: then neither the link nor the audit row may remain.
  const sent: MailMessage[] = [];
  let mailFails = false;

  beforeAll(async () => {
    auth = await startAuthService({
      mail: {
        description: 'test',
        async send(message) {
          if (mailFails) throw new Error('SMTP is down');
          sent.push(message);
        },
      },
    });
    token = await auth.adminApiToken();
  });
  afterAll(() => auth.close());

  let counter = 0;
  const send = (id: string, actor: string | null = ADMIN, method = 'POST') => {
    const headers = new Headers({ authorization: `Bearer ${token}`, 'x-request-id': `send-${++counter}` });
    if (actor !== null) headers.set('x-acting-admin', actor);
    return fetch(`${auth.internalUrl}/users/${encodeURIComponent(id)}/password-reset`, { method, headers });
  };
  const links = async () =>
    Number(
      (await auth.db.query<{ n: string }>('SELECT count(*) AS n FROM password_reset_tokens')).rows[0]!.n,
    );

  it('mails the user a working link and records the admin in the same transaction', async () => {
    const user = await auth.createUser({ email: 'sent@example.com', password: PASSWORD });
    const res = await send(user.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { sent: true } });
    const message = sent.at(-1)!;
    expect(message.to).toBe('sent@example.com');
    expect(message.text).toContain('An administrator sent you a link');
    const link = /http\S+\/password-reset\/new\?token=\S+/.exec(message.text)![0];
    expect((await fetch(link)).status).toBe(200);
    const audit = await adminAudit.list(auth.db, { targetId: user.id });
    expect(audit).toMatchObject([
      {
        action: 'users.password_reset.send',
        actorId: ADMIN,
        clientId: 'admin-api',
        outcome: 'success',
        requestId: `send-${counter}`,
      },
    ]);
    // The audit row holds no link or token.
    expect(JSON.stringify(audit)).not.toContain(link.split('token=')[1]);
  });

  it('leaves neither a link nor an audit row when the mail cannot be sent', async () => {
    const user = await auth.createUser({ email: 'unsent@example.com', password: PASSWORD });
    const before = await links();
    mailFails = true;
    try {
      const res = await send(user.id);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: 'mail_unavailable' } });
    } finally {
      mailFails = false;
    }
    expect(await links()).toBe(before);
    expect(await adminAudit.list(auth.db, { targetId: user.id })).toHaveLength(0);
  });

  it('refuses unknown and disabled users, a missing actor and other methods cleanly', async () => {
    const disabled = await auth.createUser({ email: 'off-reset@example.com', password: PASSWORD });
    await auth.service.users.setDisabled(disabled.id, true);
    expect((await send('22222222-2222-4222-8222-222222222222')).status).toBe(404);
    expect((await send(disabled.id)).status).toBe(409);
    expect((await send(disabled.id, null)).status).toBe(422);
    expect((await send(disabled.id, ADMIN, 'GET')).status).toBe(405);
    const unauthenticated = await fetch(`${auth.internalUrl}/users/${disabled.id}/password-reset`, {
      method: 'POST',
    });
    expect(unauthenticated.status).toBe(401);
    expect(await adminAudit.list(auth.db, { targetId: disabled.id })).toHaveLength(0);
  });

  it('never answers a 5xx to any id or actor', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary' }),
        fc.option(fc.string(), { nil: null }),
        async (id, actor) => {
          let res: Response;
          try {
            res = await send(id || 'x', actor);
          } catch {
            return; // a header value fetch itself refuses to send
          }
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});
