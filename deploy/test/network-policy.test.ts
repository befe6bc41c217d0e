import { describe, expect, it } from 'vitest';
import { allowsIngress, type PodRef } from './support/network-policy';
import { kustomize, SERVICE_NAMES, SERVICES, type ServiceName } from './support/render';

const nsLabels = (name: string) => ({ 'kubernetes.io/metadata.name': name });

/** Who may reach whom (SPEC §9): everything not listed must be refused. */
const ALLOWED: Record<ServiceName, string[]> = {
  'user-web': ['ingress-controller'],
  'admin-web': ['ingress-controller'],
  'user-api': ['user-web'],
  'admin-api': ['admin-web'],
  'auth-service': ['ingress-controller', 'admin-api', 'user-api'],
};

describe.each([
  ['base', 'default'],
  ['overlays/production', 'bff-auth'],
])('NetworkPolicy of %s', (dir, namespace) => {
  const objects = kustomize(dir);
  const pod = (name: string): PodRef => ({
    namespace,
    labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'bff-auth' },
    namespaceLabels: nsLabels(namespace),
  });
  const sources: Record<string, PodRef> = {
    ...Object.fromEntries(SERVICE_NAMES.map((n) => [n, pod(n)])),
    'ingress-controller': {
      namespace: 'ingress-nginx',
      labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
      namespaceLabels: nsLabels('ingress-nginx'),
    },
    'pod in the same namespace': {
      namespace,
      labels: { app: 'debug' },
      namespaceLabels: nsLabels(namespace),
    },
    'pod in another namespace': {
      namespace: 'elsewhere',
      labels: { 'app.kubernetes.io/name': 'user-web' },
      namespaceLabels: nsLabels('elsewhere'),
    },
  };

  it.each(SERVICE_NAMES)('lets only the allowed peers reach %s, on its port only', (target) => {
    const { port } = SERVICES[target];
    const reachable = Object.entries(sources)
      .filter(([name]) => name !== target)
      .filter(([, from]) => allowsIngress(objects, from, pod(target), port))
      .map(([name]) => name);
    expect(reachable.sort()).toEqual([...ALLOWED[target]].sort());
    for (const peer of ALLOWED[target]) {
      expect(allowsIngress(objects, sources[peer]!, pod(target), port + 1)).toBe(false);
    }
  });

  it('denies by default: a pod no rule names is unreachable', () => {
    expect(allowsIngress(objects, sources['user-web']!, pod('redis-cache'), 6379)).toBe(false);
  });
});

describe('allowsIngress (the model the tests above rely on)', () => {
  it('allows everything to a pod that no policy selects', () => {
    const from: PodRef = { namespace: 'a', labels: {}, namespaceLabels: {} };
    expect(allowsIngress([], from, { namespace: 'a', labels: { x: '1' }, namespaceLabels: {} }, 80)).toBe(
      true,
    );
  });
});
