import type { ServerResponse } from 'node:http';

/**
 * Writes a Web `Response` to Node: `defaults` first, the response's own headers over them (one
 * `Set-Cookie` line per cookie). An event stream is piped chunk by chunk with backpressure, and stops
 * when the browser goes away; any other body is small (bff-core's answers are whole buffers) and goes
 * out in one write with its `Content-Length`.
 */
export async function writeResponse(
  res: ServerResponse,
  response: Response,
  defaults: ReadonlyArray<{ key: string; value: string }>,
  head: boolean,
): Promise<void> {
  for (const { key, value } of defaults) res.setHeader(key, value);
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') res.setHeader(key, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('Set-Cookie', cookies);
  res.statusCode = response.status;
  if (!response.body || head) {
    await response.body?.cancel();
    res.end();
    return;
  }
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const body = Buffer.from(await response.arrayBuffer());
    res.setHeader('Content-Length', body.byteLength);
    res.end(body);
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  res.once('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await drainedOrClosed(res);
    }
  } finally {
    res.off('close', stop);
    res.end();
  }
}

/** Resolves when the socket can take more, or is gone (a `drain` that never comes must not hang). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
