import { BffError, errorCodes } from '../errors';

/** Methods that never change state (SPEC §5: GET never changes state). */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The header browser code sends; a cross-site form cannot set it, and a cross-origin fetch needs a preflight. */
export const CSRF_HEADER = 'X-CSRF';

/** Raised for a refused state-changing request: 403 `csrf_rejected`. */
export class CsrfError extends BffError {
  constructor(reason: string) {
    super(403, errorCodes.csrf, `Cross-site request refused: ${reason}`);
    this.name = 'CsrfError';
  }
}

/**
 * Checks a request against SPEC §5. Safe methods pass. Any other method needs `X-CSRF: 1`, an `Origin`
 * equal to `appOrigin` when the browser sends one, and no `Sec-Fetch-Site: cross-site`.
 * @param appOrigin the app's own origin, e.g. `http://localhost:3002`.
 * @throws CsrfError
 */
export function checkCsrf(request: Request, appOrigin: string): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  if (request.headers.get('sec-fetch-site') === 'cross-site') throw new CsrfError('cross-site request');
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== appOrigin) throw new CsrfError('foreign origin');
  if (request.headers.get(CSRF_HEADER) !== '1') throw new CsrfError(`missing ${CSRF_HEADER} header`);
}
