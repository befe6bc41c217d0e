import { describe, expect, it } from 'vitest';
import { parseEnv } from './parse-env';
import { serviceEnvSchema } from './service-env';

describe('serviceEnvSchema', () => {
  it('applies the shared defaults with the port the service names', () => {
    expect(parseEnv(serviceEnvSchema(8001), {})).toEqual({
      PORT: 8001,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      REDIS_KEY_PREFIX: '',
      AUTH_ISSUER: 'http://localhost:8002',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
  });

  it('reads the observability variables and refuses a short METRICS_TOKEN or an unknown OTLP protocol', () => {
    expect(
      parseEnv(serviceEnvSchema(8001), {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        METRICS_TOKEN: 'a-long-enough-metrics-token',
      }),
    ).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      METRICS_TOKEN: 'a-long-enough-metrics-token',
    });
    expect(() =>
      parseEnv(serviceEnvSchema(8001), { METRICS_TOKEN: 'short', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL: [\s\S]*METRICS_TOKEN: |METRICS_TOKEN: [\s\S]*OTEL_EXPORTER_OTLP_PROTOCOL: /,
    );
  });

  it('takes a DATABASE_NAME_PREFIX that keeps database names plain identifiers, and nothing else', () => {
    expect(parseEnv(serviceEnvSchema(8001), { DATABASE_NAME_PREFIX: 'e2e_lb_1a2b_' })).toMatchObject({
      DATABASE_NAME_PREFIX: 'e2e_lb_1a2b_',
    });
    for (const bad of ['E2E_', '1x_', 'x-y_', 'x; DROP DATABASE authdb; --', 'x'.repeat(41)]) {
      expect(() => parseEnv(serviceEnvSchema(8001), { DATABASE_NAME_PREFIX: bad }), bad).toThrow(
        /DATABASE_NAME_PREFIX/,
      );
    }
  });

  it('refuses a Redis URL that is not redis:// and a database URL that is not postgres://', () => {
    expect(() =>
      parseEnv(serviceEnvSchema(8001), { REDIS_URL: 'http://x', DATABASE_URL: 'mysql://x/db' }),
    ).toThrow(/REDIS_URL: [\s\S]*DATABASE_URL: /);
  });
});
