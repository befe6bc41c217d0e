import autocannon from 'autocannon';

export interface LoadOptions {
  title: string;
  url: string;
  headers?: Record<string, string>;
  /** Headers made anew for every request (a DPoP proof), added to `headers`. */
  perRequestHeaders?: () => Record<string, string>;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Called once a second with the responses so far (the soak samples memory with it). */
  onTick?: (elapsedSeconds: number) => void;
}

export interface LoadResult {
  title: string;
  url: string;
  connections: number;
  durationSec: number;
  requests: number;
  /** 2xx responses per second: a run answered with errors does not count as throughput. */
  requestsPerSec: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Latency of 2xx responses in ms, exact (autocannon's own histogram rounds to whole ms). */
  latencyMs: { mean: number; p50: number; p90: number; p97_5: number; p99: number; max: number };
}

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * One autocannon run. Latencies come from autocannon's per-response event (sub-millisecond hrtime),
 * because its histogram keeps whole milliseconds and the p50 target is 1.5 ms.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const statusCodes: Record<string, number> = {};
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        title: options.title,
        url: options.url,
        headers: options.headers ?? {},
        ...(options.perRequestHeaders
          ? {
              requests: [
                {
                  setupRequest: (request: autocannon.Request) => ({
                    ...request,
                    headers: { ...request.headers, ...options.perRequestHeaders!() },
                  }),
                },
              ],
            }
          : {}),
        connections: options.connections,
        duration: options.duration,
        timeout: 10,
      },
      (error, result) => {
        clearInterval(ticker);
        if (error) return reject(error);
        const sorted = latencies.subarray(0, count).sort();
        const mean = count ? sorted.reduce((a, b) => a + b, 0) / count : Number.NaN;
        resolve({
          title: options.title,
          url: options.url,
          connections: options.connections,
          durationSec: result.duration,
          requests: result.requests.total,
          requestsPerSec: count / result.duration,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes,
          latencyMs: {
            mean,
            p50: percentile(sorted, 50),
            p90: percentile(sorted, 90),
            p97_5: percentile(sorted, 97.5),
            p99: percentile(sorted, 99),
            max: percentile(sorted, 100),
          },
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode < 200 || statusCode > 299) return;
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
    });
    const ticker = setInterval(() => options.onTick?.((performance.now() - started) / 1000), 1000);
  });
}
