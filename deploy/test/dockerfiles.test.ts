import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPLOY_DIR, REPO_ROOT, SERVICE_NAMES, SERVICES } from './support/render';

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const stages: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, keyword = '', args = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, from = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else if (stages.length) {
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const all = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe.each(SERVICE_NAMES)('deploy/docker/%s.Dockerfile', (name) => {
  const { port, health, kind } = SERVICES[name];
  const stages = parseDockerfile(readFileSync(`${DEPLOY_DIR}docker/${name}.Dockerfile`, 'utf8'));
  const build = stages[0]!;
  const runtime = stages.at(-1)!;

  it('is multi-stage: installs with npm ci from the lock in a build stage the runtime copies from', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runs = all(build, 'RUN').join('\n');
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).not.toMatch(/\bnpm (install|i)\b/);
    expect(all(runtime, 'COPY').every((c) => c.startsWith(`--from=${build.name}`))).toBe(true);
    expect(all(runtime, 'RUN').join('\n')).not.toMatch(/\bnpm\b/);
  });

  it('runs as a non-root user, with a HEALTHCHECK on its health path, and stops on SIGTERM', () => {
    const users = all(runtime, 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    // USER comes before CMD, so the service never runs as root.
    const keywords = runtime.instructions.map((i) => i.keyword);
    expect(keywords.indexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
    const [healthcheck] = all(runtime, 'HEALTHCHECK');
    expect(healthcheck).toContain(`http://127.0.0.1:${port}${health}`);
    expect(all(runtime, 'EXPOSE')).toEqual([String(port)]);
    expect(all(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
    expect(all(runtime, 'ENV').join(' ')).toContain(`PORT=${port}`);
  });

  if (kind === 'next') {
    it('builds Next with output: standalone and runs its server.js', () => {
      expect(all(build, 'ENV').join(' ')).toContain('NEXT_OUTPUT=standalone');
      expect(all(build, 'RUN').join('\n')).toContain(`npm run build -w @bff-auth/${name}`);
      expect(all(runtime, 'COPY')).toContain(`--from=build /app/apps/${name}/.next/standalone ./`);
      expect(all(runtime, 'CMD')).toEqual([`["node", "apps/${name}/server.js"]`]);
      // Docker sets HOSTNAME to the container id; Next's server.js listens on HOSTNAME.
      expect(all(runtime, 'ENV').join(' ')).toContain('HOSTNAME=0.0.0.0');
    });
  } else {
    it('runs the service in one Node process (tsx as a loader), listening on every interface', () => {
      expect(all(runtime, 'CMD')).toEqual(['["node", "--import", "tsx", "src/main.ts"]']);
      expect(all(runtime, 'WORKDIR').at(-1)).toBe(`/app/apps/${name}`);
      expect(all(runtime, 'ENV').join(' ')).toContain('HOST=0.0.0.0');
      expect(existsSync(`${REPO_ROOT}apps/${name}/src/main.ts`)).toBe(true);
    });
  }
});

describe('.dockerignore (the build context is the repository root)', () => {
  const ignored = readFileSync(`${REPO_ROOT}.dockerignore`, 'utf8').split('\n');
  it('leaves out local installs, builds, data and env files', () => {
    for (const pattern of ['**/node_modules', '**/.next', '**/.data', '**/.env', '.git']) {
      expect(ignored).toContain(pattern);
    }
  });
});
