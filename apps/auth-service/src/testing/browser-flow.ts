import { createHash, randomBytes } from 'node:crypto';
import { createDpopTestClient, type DpopTestClient } from '@bff-auth/token-verifier/testing';
import { CookieJar } from './cookie-jar';

export interface SignInOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  email: string;
  password: string;
  resource?: string;
  scope?: string;
  /** Reuse a browser (its provider session cookie) for single sign-on. */
  jar?: CookieJar;
  /**
   * Push the authorization request first (PAR, RFC 9126; the provider requires it of the BFF clients) and
   * send the browser with its request_uri. Default true; false sends the parameters in the URL.
   */
  pushed?: boolean;
  /** What to type on the two-step code page, when it comes (computed when the page is reached). */
  code?: () => string;
  /**
   * The first code on the set-up page an admin without TOTP meets (the admin rule), computed from the
   * key the page shows; without it the flow stops there.
   */
  setupCode?: (manualKey: string) => string;
  /** More authorization parameters (`max_age`, `acr_values`, `prompt`…). */
  extraParams?: Record<string, string>;
  /** What to set on the required password change page, when it comes; without it the flow stops there. */
  newPassword?: string;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
  token_type: string;
  scope?: string;
}

const b64url = (buf: Buffer) => buf.toString('base64url');

/**
 * Pushes authorization parameters to the provider's PAR endpoint as the confidential client, as the BFFs
 * do. @returns the authorization URL the browser then opens (`client_id` + `request_uri`), or the refusal.
 */
export async function pushAuthorizationRequest(
  client: { issuer: string; clientId: string; clientSecret: string },
  params: URLSearchParams | Record<string, string>,
): Promise<{ ok: true; url: URL } | { ok: false; status: number; body: Record<string, unknown> }> {
  const basic = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
  const res = await fetch(new URL('/request', client.issuer), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(basic).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      client_id: client.clientId,
      ...Object.fromEntries(new URLSearchParams(params)),
    }),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status !== 201 || typeof body.request_uri !== 'string')
    return { ok: false, status: res.status, body };
  const url = new URL('/auth', client.issuer);
  url.search = new URLSearchParams({ client_id: client.clientId, request_uri: body.request_uri }).toString();
  return { ok: true, url };
}

/**
 * Walks the authorization-code flow over HTTP like a browser and a confidential client would:
 * authorize (PKCE S256, state, nonce) → sign-in form → code → token endpoint.
 * Returns the last sign-in page instead of tokens when sign-in does not succeed.
 */
export async function signInOverHttp(
  options: SignInOptions,
): Promise<
  | { ok: true; tokens: TokenSet; jar: CookieJar }
  | { ok: false; status: number; page: string; response: Response; jar: CookieJar }
> {
  const jar = options.jar ?? new CookieJar();
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const authorize = new URL('/auth', options.issuer);
  authorize.search = new URLSearchParams({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    scope: options.scope ?? 'openid email profile roles',
    state,
    nonce: b64url(randomBytes(16)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...(options.resource ? { resource: options.resource } : {}),
    ...options.extraParams,
  }).toString();

  if (options.pushed !== false) {
    const pushed = await pushAuthorizationRequest(options, authorize.searchParams);
    if (!pushed.ok) throw new Error(`PAR refused: ${pushed.status} ${JSON.stringify(pushed.body)}`);
    authorize.search = pushed.url.search;
  }

  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(new URL(url, options.issuer), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(response);
    return response;
  };

  let response = await go(authorize.toString());
  for (let hop = 0; hop < 10; hop++) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      if (location.startsWith(options.redirectUri)) {
        const params = new URL(location).searchParams;
        if (params.get('state') !== state) throw new Error('state mismatch');
        const code = params.get('code');
        if (!code)
          throw new Error(`authorization failed: ${params.get('error')} ${params.get('error_description')}`);
        const tokens = await exchangeCode(options, code, verifier);
        return { ok: true, tokens, jar };
      }
      response = await go(location);
      continue;
    }
    const page = await response.text();
    // The recovery codes after a set-up at sign-in: a link on to the app.
    const onward = /<a class="button" href="([^"]+)">I have saved these codes<\/a>/.exec(page)?.[1];
    if (response.status === 200 && onward) {
      response = await go(onward.replaceAll('&amp;', '&'));
      continue;
    }
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action)
      return { ok: false, status: response.status, page, response, jar };
    if (action.endsWith('/change-password') && options.newPassword === undefined) {
      return { ok: false, status: response.status, page, response, jar };
    }
    const manualKey = /data-testid="manual-key">([A-Z2-7 ]+)</.exec(page)?.[1]?.replace(/ /g, '');
    if (action.endsWith('/two-step-setup') && (!options.setupCode || !manualKey)) {
      return { ok: false, status: response.status, page, response, jar };
    }
    const form: Record<string, string> = action.endsWith('/two-step')
      ? { code: options.code?.() ?? '' }
      : action.endsWith('/two-step-setup')
        ? { code: options.setupCode!(manualKey!) }
        : action.endsWith('/change-password')
          ? { password: options.newPassword!, confirm: options.newPassword! }
          : { email: options.email, password: options.password };
    response = await go(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    // A set-up at sign-in answers with the recovery codes page (read on the next round).
    const codesShown = action.endsWith('/two-step-setup') && response.status === 200;
    if (response.status !== 303 && !codesShown) {
      return { ok: false, status: response.status, page: await response.text(), response, jar };
    }
  }
  throw new Error('too many redirects');
}

/**
 * The BFF clients get DPoP-bound tokens only (`dpop_bound_access_tokens`): the harness proves possession
 * of one key for them, as a BFF does of its session's key. Other clients send no proof.
 */
const DPOP_BOUND_CLIENTS = new Set(['user-web', 'admin-web']);
let harnessKey: Promise<DpopTestClient> | undefined;
/** The key the harness binds the BFF clients' tokens to (its thumbprint is their `cnf.jkt`). */
export const harnessDpopKey = () => {
  harnessKey ??= createDpopTestClient();
  return harnessKey;
};

/**
 * The credentials a BFF would send an API with one of the harness's BFF tokens: `Authorization: DPoP` and
 * a new proof of the harness key for this method and URL (query dropped).
 */
export async function harnessCredentials(method: string, url: string, accessToken: string) {
  const proof = await (await harnessDpopKey()).proof({ htm: method, htu: url.split('?')[0]!, accessToken });
  return { authorization: `DPoP ${accessToken}`, dpop: proof };
}

async function tokenEndpointHeaders(issuer: string, clientId: string, secret: string) {
  const tokenUrl = new URL('/token', issuer).href;
  return {
    authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
    ...(DPOP_BOUND_CLIENTS.has(clientId)
      ? { dpop: await (await harnessDpopKey()).proof({ htm: 'POST', htu: tokenUrl }) }
      : {}),
  };
}

async function exchangeCode(options: SignInOptions, code: string, verifier: string): Promise<TokenSet> {
  const response = await fetch(new URL('/token', options.issuer), {
    method: 'POST',
    headers: await tokenEndpointHeaders(options.issuer, options.clientId, options.clientSecret),
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: options.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
  return body as TokenSet;
}

/** POSTs to the token endpoint as a confidential client. */
export async function tokenRequest(
  issuer: string,
  client: { id: string; secret: string },
  params: Record<string, string>,
) {
  const response = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: await tokenEndpointHeaders(issuer, client.id, client.secret),
    body: new URLSearchParams(params).toString(),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & Partial<TokenSet>,
  };
}
