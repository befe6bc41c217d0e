import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bffNextConfig, workspaceRoot } from './next-config';

describe('bffNextConfig', () => {
  it('builds for next start by default, and standalone (traced from the monorepo root) with NEXT_OUTPUT=standalone', () => {
    expect(bffNextConfig({}, {}).output).toBeUndefined();
    const standalone = bffNextConfig({}, { NEXT_OUTPUT: 'standalone' });
    expect(standalone.output).toBe('standalone');
    expect(existsSync(join(standalone.outputFileTracingRoot!, 'package-lock.json'))).toBe(true);
    expect(standalone.poweredByHeader).toBe(false);
  });

  it('finds the monorepo root from a workspace folder', () => {
    const root = workspaceRoot(join(process.cwd(), 'src'));
    expect(existsSync(join(root, 'turbo.json'))).toBe(true);
  });
});
