import { BffError, errorCodes } from '../errors';

/** The request body was larger than the endpoint accepts: 413 `payload_too_large`. */
export class PayloadTooLargeError extends BffError {
  constructor(maxBytes: number) {
    super(413, errorCodes.payloadTooLarge, `Request body larger than ${maxBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * Reads a request body as UTF-8 text, at most `maxBytes`: a declared `Content-Length` over the limit is
 * refused before reading, and a body without one stops being read (and is cancelled) at the limit — so
 * an endpoint never buffers more than it accepts.
 * @throws PayloadTooLargeError
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new PayloadTooLargeError(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
