import { readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BurstResult {
  requests: number;
  statusCodes: Record<string, number>;
  succeeded: number;
  /** POSTs to the auth service's /token during the burst (the BFF calls it only to refresh). */
  tokenCalls: number;
  /** Responses that carried a new session cookie (the refreshed token set, sealed for this request). */
  withNewCookie: number;
  /** A request with a cookie the burst handed back: the rotated grant still works. */
  followUpStatus: number | null;
  elapsedMs: number;
}

interface LogLine {
  method?: string;
  path?: string;
}

/** Bytes of the log written so far: where to start counting. */
export const logOffset = (file: string): number => statSync(file).size;

/** Request log lines (pino JSON, one per request) written to the auth service's log after offset. */
export function requestsLoggedSince(file: string, offset: number): LogLine[] {
  const text = readFileSync(file).subarray(offset).toString('utf8');
  const lines: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as LogLine & { msg?: string };
      if (parsed.msg === 'request') lines.push(parsed);
    } catch {
      // a partial line
    }
  }
  return lines;
}

/**
 * Fires `size` concurrent GETs with one session cookie whose access token is inside the refresh
 * window, each on its own connection (Node's fetch does not cap them per origin), and counts the refresh calls that reached the auth service by
 * reading its request log (one JSON line per request) from before the burst to after the last answer.
 */
export async function refreshBurst(options: {
  url: string;
  cookie: string;
  size: number;
  authLogFile: string;
}): Promise<BurstResult> {
  const offset = logOffset(options.authLogFile);
  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: options.size }, async () => {
      // Node's fetch opens as many connections to one origin as there are requests in flight.
      const response = await fetch(options.url, { headers: { cookie: options.cookie } });
      await response.arrayBuffer();
      const setCookie = response.headers
        .getSetCookie()
        .map((line) => line.split(';')[0]!)
        .find((pair) => pair.startsWith('__Host-user-session=') && pair.length > 21);
      return { status: response.status, setCookie };
    }),
  );
  const elapsedMs = performance.now() - started;
  await sleep(300); // the log line is written on 'finish'; let the file catch up
  const tokenCalls = requestsLoggedSince(options.authLogFile, offset).filter(
    (line) => line.method === 'POST' && line.path === '/token',
  ).length;
  const statusCodes: Record<string, number> = {};
  for (const { status } of responses) statusCodes[status] = (statusCodes[status] ?? 0) + 1;
  const next = responses.find((r) => r.setCookie)?.setCookie;
  const followUp = next
    ? await fetch(options.url, { headers: { cookie: next } }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      })
    : null;
  return {
    requests: options.size,
    statusCodes,
    succeeded: responses.filter((r) => r.status === 200).length,
    tokenCalls,
    withNewCookie: responses.filter((r) => r.setCookie).length,
    followUpStatus: followUp,
    elapsedMs,
  };
}
