import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserApi, type UserApiHarness } from './test-support';

describe('per-user rate limit', () => {
  let h: UserApiHarness;
  beforeAll(async () => {
    h = await startUserApi('rate-limit', { rateLimit: { points: 3, durationSec: 3600 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 429 with Retry-After once a user spends the limit, without touching other users', async () => {
    const as = async (sub: string) =>
      h.app.request('/api/v1/profiles/me', { headers: { authorization: await h.bearer(sub) } });
    for (let i = 0; i < 3; i++) expect((await as('busy')).status).toBe(200);
    const limited = await as('busy');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(await limited.json()).toMatchObject({ status: 'error', error: { code: 'rate_limited' } });
    expect((await as('calm')).status).toBe(200);
  });
});
