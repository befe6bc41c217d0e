import { describe, expect, it } from 'vitest';
import { createShutdown, DRAIN_RETRY_MS } from './shutdown';

describe('createShutdown', () => {
  it('ends every tracked stream once on drain, with the retry hint plus jitter, and forgets untracked ones', () => {
    const shutdown = createShutdown({ retryMs: 1000, jitterMs: 2000, random: () => 0.5 });
    const ended: string[] = [];
    shutdown.track((ms) => ended.push(`a:${ms}`));
    const untrackB = shutdown.track((ms) => ended.push(`b:${ms}`));
    shutdown.track((ms) => ended.push(`c:${ms}`));
    expect(shutdown.openStreams).toBe(3);
    untrackB();
    expect(shutdown.openStreams).toBe(2);
    expect(shutdown.draining).toBe(false);

    shutdown.drain();
    expect(shutdown.draining).toBe(true);
    expect(ended).toEqual(['a:2000', 'c:2000']);
    expect(shutdown.openStreams).toBe(0);
    shutdown.drain();
    expect(ended).toHaveLength(2);
  });

  it('ends a stream opened while draining at once and does not keep it', () => {
    const shutdown = createShutdown({ random: () => 0 });
    shutdown.drain();
    const ended: number[] = [];
    const untrack = shutdown.track((ms) => ended.push(ms));
    expect(ended).toEqual([DRAIN_RETRY_MS]);
    expect(shutdown.openStreams).toBe(0);
    untrack();
  });
});
