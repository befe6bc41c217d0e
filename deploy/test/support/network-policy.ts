import type { K8sObject } from './render';

/** A pod as NetworkPolicy sees it: its labels and its namespace's labels. */
export interface PodRef {
  namespace: string;
  labels: Record<string, string>;
  namespaceLabels: Record<string, string>;
}

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: any[] } | undefined;

interface IngressRule {
  ports?: { port?: number; protocol?: string }[];
  from?: { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: unknown }[];
}

/** Label selector semantics; only matchLabels is used in our manifests (matchExpressions is refused). */
function selects(selector: Selector, labels: Record<string, string>): boolean {
  if (!selector) return true;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions: not modelled by this test');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/**
 * Whether `from` may open a TCP connection to `to` on `port` under the NetworkPolicies in `objects`,
 * as the Kubernetes NetworkPolicy API defines it for ingress: a pod no policy selects accepts anything;
 * a selected pod accepts what at least one selecting policy's rules allow (peers OR-ed; a peer with
 * both selectors needs both; no `from` = any peer; no `ports` = any port).
 */
export function allowsIngress(objects: K8sObject[], from: PodRef, to: PodRef, port: number): boolean {
  const policies = objects.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      (o.metadata.namespace ?? 'default') === to.namespace &&
      (o.spec.policyTypes ?? ['Ingress']).includes('Ingress') &&
      selects(o.spec.podSelector, to.labels),
  );
  if (!policies.length) return true;
  return policies.some((policy) =>
    (policy.spec.ingress ?? []).some((rule: IngressRule) => {
      const portOk =
        !rule.ports?.length ||
        rule.ports.some(
          (p: { port?: number; protocol?: string }) =>
            (p.port === undefined || p.port === port) && (p.protocol ?? 'TCP') === 'TCP',
        );
      const peerOk =
        !rule.from?.length ||
        rule.from.some(
          (peer: { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: unknown }) => {
            if (peer.ipBlock) throw new Error('ipBlock: not modelled by this test');
            if (peer.namespaceSelector && !selects(peer.namespaceSelector, from.namespaceLabels))
              return false;
            if (!peer.namespaceSelector && from.namespace !== to.namespace) return false;
            return selects(peer.podSelector, from.labels);
          },
        );
      return portOk && peerOk;
    }),
  );
}
