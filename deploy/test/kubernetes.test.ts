import { describe, expect, it } from 'vitest';
import { find, type K8sObject, kustomize, SERVICE_NAMES, SERVICES, type ServiceName } from './support/render';
import { validateObject } from './support/schema';

const RENDERS = { base: kustomize('base'), production: kustomize('overlays/production') };

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML
type Container = any;
const container = (objects: K8sObject[], name: ServiceName): Container =>
  find(objects, 'Deployment', name).spec.template.spec.containers[0];

describe.each(Object.entries(RENDERS))('kubectl kustomize %s', (_name, objects) => {
  it('renders every kind the system needs, once per service', () => {
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
      expect(
        objects
          .filter((o) => o.kind === kind)
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual([...SERVICE_NAMES].sort());
    }
    expect(objects.filter((o) => o.kind === 'Ingress')).toHaveLength(1);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').length).toBeGreaterThan(0);
  });

  it('passes the Kubernetes schema, every object', () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const object of objects) validateObject(object);
  });

  it('probes liveness on /health and readiness on /ready, drains within the grace period, and sets resources', () => {
    for (const name of SERVICE_NAMES) {
      const { port, health, ready } = SERVICES[name];
      const pod = find(objects, 'Deployment', name).spec.template.spec;
      const c = container(objects, name);
      expect(c.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
      expect(c.livenessProbe.httpGet).toEqual({ path: health, port: 'http' });
      expect(c.startupProbe.httpGet).toEqual({ path: health, port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: ready, port: 'http' });
      // preStop, then SPEC §7's 10 s drain, must fit in the grace period before SIGKILL.
      const preStop = c.lifecycle.preStop.sleep.seconds as number;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + 10);
      expect(c.resources.requests.cpu).toBeTruthy();
      expect(c.resources.requests.memory).toBeTruthy();
      expect(c.resources.limits.memory).toBeTruthy();
    }
  });

  it('runs every container as non-root, without privilege escalation, on a read-only root filesystem', () => {
    for (const name of SERVICE_NAMES) {
      const pod = find(objects, 'Deployment', name).spec.template.spec;
      const c = container(objects, name);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('keeps every secret in a Secret it only references: no Secret object, no secret value in a manifest', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const secretish = /SECRET|PASSWORD|COOKIE_KEYS|DATABASE_URL|REDIS_URL/;
    for (const name of SERVICE_NAMES) {
      const c = container(objects, name);
      for (const env of c.env as { name: string; value?: string; valueFrom?: object }[]) {
        if (secretish.test(env.name)) {
          expect(env.value, `${name} ${env.name}`).toBeUndefined();
          expect(env.valueFrom).toEqual({ secretKeyRef: { name: `${name}-secrets`, key: env.name } });
        }
      }
    }
    const config = find(objects, 'ConfigMap', 'bff-auth-config');
    for (const key of Object.keys(config.data)) expect(key).not.toMatch(secretish);
  });

  it('lets the HorizontalPodAutoscaler own the replica count, and keeps PodDisruptionBudgets below it', () => {
    for (const name of SERVICE_NAMES) {
      expect(find(objects, 'Deployment', name).spec.replicas).toBeUndefined();
      const hpa = find(objects, 'HorizontalPodAutoscaler', name).spec;
      expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      const pdb = find(objects, 'PodDisruptionBudget', name).spec;
      expect(pdb.minAvailable).toBeLessThan(hpa.minReplicas);
      expect(pdb.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
    }
  });

  it('routes each public host of the configuration, and never the internal API, through the Ingress', () => {
    const config = find(objects, 'ConfigMap', 'bff-auth-config').data;
    const host = (url: string) => new URL(url).host;
    const ingress = find(objects, 'Ingress', 'bff-auth').spec;
    const backends = new Map<string, { service: string; paths: string[] }>(
      // biome-ignore lint/suspicious/noExplicitAny: rendered YAML
      ingress.rules.map((r: any) => [
        r.host,
        {
          service: [...new Set(r.http.paths.map((p: Container) => p.backend.service.name))].join(),
          paths: r.http.paths.map((p: Container) => p.path),
        },
      ]),
    );
    expect(backends.get(host(config.USER_WEB_URL))?.service).toBe('user-web');
    expect(backends.get(host(config.ADMIN_WEB_URL))?.service).toBe('admin-web');
    const auth = backends.get(host(config.AUTH_ISSUER));
    expect(auth?.service).toBe('auth-service');
    expect(auth?.paths).toEqual(
      expect.arrayContaining(['/.well-known', '/auth', '/token', '/jwks', '/interaction']),
    );
    for (const path of auth!.paths) expect(path).not.toMatch(/^\/(internal|health|ready)|^\/$/);
    expect(ingress.tls[0].hosts.sort()).toEqual([...backends.keys()].sort());
  });
});

describe('the schema check itself', () => {
  it('refuses an object the API server would refuse', () => {
    const broken = structuredClone(find(RENDERS.base, 'Deployment', 'user-api'));
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'eight thousand';
    expect(() => validateObject(broken)).toThrow(/Deployment user-api fails the schema/);
    const nameless = structuredClone(find(RENDERS.base, 'Service', 'user-api'));
    nameless.spec.ports[0].port = undefined;
    expect(() => validateObject(nameless)).toThrow(/fails the schema/);
  });
});

describe('production overlay', () => {
  const objects = RENDERS.production;

  it('puts everything in one namespace that enforces the restricted Pod Security Standard', () => {
    const namespace = find(objects, 'Namespace', 'bff-auth');
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const o of objects.filter((o) => o.kind !== 'Namespace'))
      expect(o.metadata.namespace).toBe('bff-auth');
  });

  it('pins every image to a registry and a tag', () => {
    for (const name of SERVICE_NAMES) {
      expect(container(objects, name).image).toMatch(new RegExp(`^[a-z0-9.-]+/bff-auth/${name}:[\\w.-]+$`));
    }
  });

  it('runs at least three replicas of everything, with a TLS Ingress', () => {
    for (const name of SERVICE_NAMES) {
      expect(find(objects, 'HorizontalPodAutoscaler', name).spec.minReplicas).toBeGreaterThanOrEqual(3);
    }
    const ingress = find(objects, 'Ingress', 'bff-auth');
    expect(ingress.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBeTruthy();
    expect(find(objects, 'ConfigMap', 'bff-auth-config').data.AUTH_ISSUER).toMatch(/^https:\/\//);
  });
});
