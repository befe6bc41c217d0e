import { createServer, type Server } from 'node:http';
import { parseEnv } from '@bff-auth/service-kit/env';
import { closeGracefully, DEFAULT_DRAIN_MS } from '@bff-auth/service-kit/service';
import next from 'next';
import { z } from 'zod';
import { installMethodGuard } from '../method-guard';
import { type AppBffDefinition, defineAppBff } from '../server/app-bff';
import { createFastLaneListener } from './fast-lane-listener';

export interface StartFastLaneOptions {
  /** The app's BFF definition, the one its `src/lib/bff.ts` hands `defineAppBff`. */
  app: AppBffDefinition;
  /** The Next app's folder (with its `next build` output in `.next`). */
  dir: string;
  /** Port when `PORT` is unset (the app's `next start` port). */
  defaultPort: number;
}

export interface FastLane {
  server: Server;
  url: string;
  /** Stops accepting, lets requests in flight finish (event streams are told to reconnect), closes Next and the BFF. */
  close(): Promise<void>;
}

/** What stops the server: an orchestrator's SIGTERM, a terminal's Ctrl-C. */
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Starts a Next app behind the fast lane (SPEC §10) on `HOST`:`PORT`: one Node server, the declared
 * API routes answered by bff-core directly, pages, assets and every other route by Next's request
 * handler (`next({ dir }).getRequestHandler()`, a production build). On SIGTERM or SIGINT the BFF
 * drains (`defineAppBff` installs that), the server stops accepting and in-flight requests get
 * DEFAULT_DRAIN_MS (8 s) before the process exits — as `next start` does with its own server.
 */
export async function startFastLane(
  { app, dir, defaultPort }: StartFastLaneOptions,
  source: Record<string, string | undefined> = process.env,
): Promise<FastLane> {
  const env = parseEnv(
    z.object({
      PORT: z.coerce.number().int().min(1).max(65_535).default(defaultPort),
      HOST: z.string().min(1).default('127.0.0.1'),
    }),
    source,
  );
  // Next's instrumentation file installs it too (idempotent); the fast lane must not depend on that.
  installMethodGuard();
  const server = createServer();
  const nextApp = next({ dev: false, dir, hostname: env.HOST, port: env.PORT, httpServer: server });
  await nextApp.prepare(); // runs the app's instrumentation register(): method guard, tracing
  const appBff = defineAppBff(app);
  const logger = appBff().context.logger;
  server.on(
    'request',
    createFastLaneListener({ appBff, next: nextApp.getRequestHandler(), serviceName: app.clientId }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://${env.HOST}:${env.PORT}`;
  console.log(`fast lane: ${app.clientId} on ${url} (declared API routes by bff-core, the rest by Next)`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await closeGracefully(server, { drainMs: DEFAULT_DRAIN_MS });
      await Promise.allSettled([nextApp.close(), appBff().close()]);
    })();
    return closing;
  };
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      logger.warn({ signal }, 'fast lane: stopping');
      void close().finally(() => process.exit(0));
    });
  }
  return { server, url, close };
}
