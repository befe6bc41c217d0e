import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

/** deploy/ */
export const DEPLOY_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The five services of SPEC §2, with their ports and health paths. */
export const SERVICES = {
  'auth-service': { port: 8002, health: '/health', ready: '/ready', kind: 'node' },
  'user-api': { port: 8001, health: '/health', ready: '/ready', kind: 'node' },
  'admin-api': { port: 8003, health: '/health', ready: '/ready', kind: 'node' },
  'user-web': { port: 3002, health: '/api/health', ready: '/api/ready', kind: 'next' },
  'admin-web': { port: 3003, health: '/api/health', ready: '/api/ready', kind: 'next' },
} as const;
export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** kubectl with kustomize built in (KUBECTL overrides; Debian machines here have /usr/bin/kubectl). */
export function kubectl(): string {
  const candidates = [process.env.KUBECTL, '/usr/bin/kubectl', '/usr/local/bin/kubectl'].filter(Boolean);
  const found = candidates.find((c) => existsSync(c!));
  if (!found) throw new Error('deploy tests need kubectl (1.21+, for kustomize): set KUBECTL or install it');
  return found!;
}

/** A rendered Kubernetes object, loosely typed: the tests read what they check. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML; each test narrows what it reads
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML
  data?: any;
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML
  stringData?: any;
}

/** `kubectl kustomize <dir>` (relative to deploy/k8s), parsed into objects. */
export function kustomize(dir: string): K8sObject[] {
  const out = execFileSync(kubectl(), ['kustomize', `${DEPLOY_DIR}k8s/${dir}`], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(out).map((doc) => {
    if (doc.errors.length) throw doc.errors[0];
    return doc.toJS() as K8sObject;
  });
}

/** A YAML file of deploy/, with merge keys (`<<:`) resolved as Compose resolves them. */
export function readYaml(path: string): unknown {
  return parseYaml(readFileSync(`${DEPLOY_DIR}${path}`, 'utf8'), { merge: true });
}

export const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
