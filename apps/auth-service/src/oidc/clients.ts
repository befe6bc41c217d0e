import { TOKEN_EXCHANGE_GRANT_TYPE } from '@bff-auth/service-kit/upstream';
import type { ClientMetadata } from 'oidc-provider';
import type { AuthConfig } from '../env';

/** Scope admin-api needs on the internal user-management API. */
export const USERS_MANAGE_SCOPE = 'users:manage';
/** Scope user-api needs on the self-service account API (a user's own sessions and password). */
export const ACCOUNT_MANAGE_SCOPE = 'account:manage';

/** Refresh-token absolute lifetimes (SPEC §3): 7 days, the admin app 12 hours. */
export const REFRESH_ABSOLUTE_SECONDS = { default: 7 * 24 * 3600, 'admin-web': 12 * 3600 } as const;
export const REFRESH_IDLE_SECONDS = 24 * 3600;

/** Our first-party clients: they never see a consent screen. */
export const FIRST_PARTY_CLIENTS = new Set(['user-web', 'admin-web']);

function webClient(clientId: string, name: string, secret: string, baseUrl: string): ClientMetadata {
  return {
    client_id: clientId,
    client_secret: secret,
    client_name: name,
    application_type: 'web',
    redirect_uris: [`${baseUrl}/api/auth/callback`],
    post_logout_redirect_uris: [`${baseUrl}/`],
    backchannel_logout_uri: `${baseUrl}/api/auth/backchannel-logout`,
    backchannel_logout_session_required: true,
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid email profile roles',
    // Sign-in parameters arrive server to server (PAR, RFC 9126), never from a URL someone crafted.
    require_pushed_authorization_requests: true,
    // Their access tokens are bound to a key the BFF holds (DPoP, RFC 9449): one copied out of a BFF is
    // useless to anyone else. Every token request must carry a proof.
    dpop_bound_access_tokens: true,
  };
}

/** The registered clients: the two BFFs (confidential, code + PKCE), admin-api and user-api (client credentials). */
export function buildClients(config: AuthConfig): ClientMetadata[] {
  return [
    webClient('user-web', 'User app', config.clientSecrets.userWeb, config.userWebUrl),
    webClient('admin-web', 'Admin app', config.clientSecrets.adminWeb, config.adminWebUrl),
    {
      client_id: 'admin-api',
      client_secret: config.clientSecrets.adminApi,
      client_name: 'Admin API',
      // Token exchange: the acting admin's token for one naming admin-api as the actor (token-exchange.ts).
      grant_types: ['client_credentials', TOKEN_EXCHANGE_GRANT_TYPE],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      // Its only resource (the internal API, see resources.ts) limits its scope to users:manage.
    },
    {
      client_id: 'user-api',
      client_secret: config.clientSecrets.userApi,
      client_name: 'User API',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      // Its only resource (the account API, see resources.ts) limits its scope to account:manage.
    },
  ];
}
