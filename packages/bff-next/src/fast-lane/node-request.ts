import type { IncomingMessage } from 'node:http';

/** A Web `Request` over a Node request, and what the server must do once the answer is out. */
export interface WebRequest {
  request: Request;
  /** Whether the handler started reading the body. */
  bodyTouched(): boolean;
}

/**
 * The request body as a Web stream that pulls from Node only when read (high-water mark 0): a handler
 * that answers without reading it (a CSRF refusal) leaves it untouched, and the server can then drain
 * it so the keep-alive connection survives.
 */
function lazyBody(req: IncomingMessage, touched: { value: boolean }): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        touched.value = true;
        iterator ??= req[Symbol.asyncIterator]();
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      },
      async cancel() {
        await iterator?.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Builds the Web `Request` bff-core's handlers take. The URL's origin is the app's configured origin,
 * never the `Host` header (SPEC §8: endpoints and redirects come from configuration only); `signal`
 * aborts when the browser goes away, as Next's adapter does.
 * @throws TypeError when a header is not acceptable to the Fetch API (the caller answers 400)
 */
export function toWebRequest(req: IncomingMessage, origin: string, signal: AbortSignal): WebRequest {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const method = req.method ?? 'GET';
  const touched = { value: false };
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  if (hasBody) {
    init.body = lazyBody(req, touched);
    init.duplex = 'half';
  }
  return { request: new Request(origin + (req.url ?? '/'), init), bodyTouched: () => touched.value };
}
