import { errors } from 'oidc-provider';
import type { AuthConfig } from '../env';
import { ACCOUNT_MANAGE_SCOPE, USERS_MANAGE_SCOPE } from './clients';

export interface ResourceServerDefinition {
  audience: string;
  scope: string;
  /** Clients allowed to ask for a token to this resource. */
  clients: string[];
}

/** The audience of the internal user-management API. */
export const INTERNAL_AUDIENCE = 'auth-internal';
/** The audience of the self-service account API (user-api acting for the user of its request). */
export const ACCOUNT_AUDIENCE = 'auth-account';

/** RFC 8707 resource indicators (absolute URIs) and the single audience each maps to (SPEC §3). */
export function buildResources(config: AuthConfig) {
  const byUri = new Map<string, ResourceServerDefinition>([
    [normalize(config.resources.userApi), { audience: 'user-api', scope: 'api', clients: ['user-web'] }],
    [normalize(config.resources.adminApi), { audience: 'admin-api', scope: 'api', clients: ['admin-web'] }],
    [
      normalize(config.resources.internal),
      { audience: INTERNAL_AUDIENCE, scope: USERS_MANAGE_SCOPE, clients: ['admin-api'] },
    ],
    [
      normalize(config.resources.account),
      { audience: ACCOUNT_AUDIENCE, scope: ACCOUNT_MANAGE_SCOPE, clients: ['user-api'] },
    ],
  ]);
  const defaults = new Map<string, string>([
    ['user-web', config.resources.userApi],
    ['admin-web', config.resources.adminApi],
    ['admin-api', config.resources.internal],
    ['user-api', config.resources.account],
  ]);

  return {
    /** Each client's own API, used when a request names no resource. */
    defaultFor: (clientId: string) => defaults.get(clientId),
    /** @throws InvalidTarget for an unknown resource or a client that may not use it. */
    resolve(indicator: string, clientId: string): ResourceServerDefinition {
      const resource = byUri.get(normalize(indicator));
      if (!resource?.clients.includes(clientId)) {
        throw new errors.InvalidTarget('this client may not request a token for that resource');
      }
      return resource;
    },
  };
}
export type Resources = ReturnType<typeof buildResources>;

function normalize(uri: string): string {
  return URL.parse(uri)?.href.replace(/\/$/, '') ?? uri;
}
