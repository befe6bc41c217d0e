import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { HonoEnv } from './interaction-steps';
import type { LimitVerdict, LoginRateLimiter } from './login-rate-limit';
import { takeSignInAttempt } from './sign-in-attempt';

/** A limiter that answers `verdict` and notes what it was asked. */
function fakeLimiter(verdict: LimitVerdict) {
  const calls: string[] = [];
  const limiter: LoginRateLimiter = {
    beforeAttempt: async (key, ip) => {
      calls.push(`before ${key} ${ip}`);
      return verdict;
    },
    recordSuccess: async (key, ip) => {
      calls.push(`success ${key} ${ip}`);
    },
  };
  return { limiter, calls };
}

function appWith(limiter: LoginRateLimiter, metrics: { limited: { inc(): void } }) {
  const app = new Hono<HonoEnv>();
  app.post('/', async (c) => {
    const attempt = await takeSignInAttempt(c, limiter, 'user-1', metrics);
    if (!attempt.allowed) return attempt.response;
    await attempt.succeeded();
    return c.text('checked');
  });
  const env = { incoming: { socket: { remoteAddress: '10.0.0.7' } } } as unknown as HonoEnv['Bindings'];
  return () => app.request('/', { method: 'POST' }, env);
}

describe('takeSignInAttempt', () => {
  it('refuses a used-up key with the 429 page and Retry-After, counted as limited', async () => {
    const { limiter, calls } = fakeLimiter({ allowed: false, retryAfterSeconds: 42 });
    let limited = 0;
    const res = await appWith(limiter, { limited: { inc: () => limited++ } })();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('42');
    expect(await res.text()).toContain('<html');
    expect(limited).toBe(1);
    expect(calls).toEqual(['before user-1 10.0.0.7']);
  });

  it('lets an allowed attempt through and records its success under the same key and address', async () => {
    const { limiter, calls } = fakeLimiter({ allowed: true });
    let limited = 0;
    const res = await appWith(limiter, { limited: { inc: () => limited++ } })();
    expect(res.status).toBe(200);
    expect(limited).toBe(0);
    expect(calls).toEqual(['before user-1 10.0.0.7', 'success user-1 10.0.0.7']);
  });
});
