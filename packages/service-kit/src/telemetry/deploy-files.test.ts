import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { metricFamilyNames } from './service-metrics';

// The alert rules and the dashboard live in deploy/ at the repository root; they are checked here,
// beside the metrics they use, so renaming a metric breaks this test rather than a silent alert.
const DEPLOY = fileURLToPath(new URL('../../../../deploy/', import.meta.url));

/** PromQL words that are not metric names. */
const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'rate',
  'irate',
  'increase',
  'delta',
  'histogram_quantile',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'abs',
  'clamp_min',
  'clamp_max',
  'label_values',
  'time',
  'vector',
  'scalar',
  'topk',
  'bottomk',
]);
/** Series Prometheus makes itself. */
const BUILT_IN = new Set(['up']);
const SUFFIXES = /_(bucket|sum|count)$/;

/** The metric names an expression reads (labels, strings, ranges and grouping clauses removed). */
export function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\$\w+/g, '')
    .replace(/label_values\(([^,)]+),[^)]*\)/g, '$1'); // Grafana's label_values(metric, label)
  const words = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return words.filter((w) => !PROMQL_WORDS.has(w));
}

interface AlertRule {
  alert: string;
  expr: string;
  labels?: { severity?: string };
  annotations?: { summary?: string };
}

const rules = (): AlertRule[] => {
  const doc = parse(readFileSync(`${DEPLOY}prometheus/alerts.yaml`, 'utf8')) as {
    groups: { rules: AlertRule[] }[];
  };
  return doc.groups.flatMap((g) => g.rules);
};
const dashboardExprs = (): string[] => {
  const doc = JSON.parse(readFileSync(`${DEPLOY}grafana/dashboard.json`, 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
    templating: { list: { query?: unknown }[] };
  };
  const queries = doc.templating.list.map((v) => v.query).filter((q): q is string => typeof q === 'string');
  return [
    ...doc.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ...queries.filter((q) => q.includes('(')),
  ];
};

async function unknownMetrics(exprs: string[]): Promise<string[]> {
  const known = new Set(await metricFamilyNames());
  return exprs
    .flatMap(metricsIn)
    .filter((name) => !BUILT_IN.has(name) && !known.has(name) && !known.has(name.replace(SUFFIXES, '')));
}

describe('deploy/prometheus/alerts.yaml', () => {
  it('parses into named rules, each with an expression, a severity and a summary', () => {
    const all = rules();
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const rule of all) {
      expect(rule.alert).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(metricsIn(rule.expr).length, rule.alert).toBeGreaterThan(0);
      expect(['page', 'ticket']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
    }
    expect(new Set(all.map((r) => r.alert)).size).toBe(all.length);
  });

  it('uses only metrics the services register', async () => {
    expect(await unknownMetrics(rules().map((r) => r.expr))).toEqual([]);
  });
});

describe('deploy/grafana/dashboard.json', () => {
  it('parses, and every panel queries only metrics the services register', async () => {
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThanOrEqual(10);
    expect(await unknownMetrics(exprs)).toEqual([]);
  });

  it('shows every metric family of the catalogue somewhere', async () => {
    const used = new Set(
      dashboardExprs()
        .flatMap(metricsIn)
        .map((n) => n.replace(SUFFIXES, '')),
    );
    expect((await metricFamilyNames()).filter((n) => !used.has(n))).toEqual([]);
  });
});

describe('metricsIn', () => {
  it('finds the metric names and nothing else, and flags a misspelt one', async () => {
    expect(
      metricsIn('sum by (service, le) (rate(http_request_duration_seconds_bucket{status=~"5.."}[5m])) > 1'),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(await unknownMetrics(['rate(bff_refreshes_total[5m])'])).toEqual(['bff_refreshes_total']);
  });
});
