import type { RevocationStore } from '@bff-auth/revocation';
import type { PendingSignOuts } from '../logout/pending-sign-outs';
import type { BffObserver } from '../observe/bff-observer';
import type { LogoutTokenClaims } from '../oidc/logout-token';
import type { OidcClient } from '../oidc/oidc-client';
import type { TransactionStore } from '../oidc/transaction';
import type { Refresher } from '../refresh/refresh-single-flight';
import type { AuthEventsSubscriber } from '../revocation/auth-events-subscriber';
import type { StreamRegistry } from '../revocation/stream-registry';
import type { SessionStore } from '../session/session-store';
import type { UpstreamProxy } from '../upstream/upstream-proxy';
import type { BffConfig, BffLogger } from './config';
import type { BffShutdown } from './shutdown';

/** Everything the handlers share; built once by createBff. */
export interface BffContext {
  config: BffConfig;
  sessions: SessionStore;
  transactions: TransactionStore;
  oidc: OidcClient;
  refresher: Refresher;
  revocation: RevocationStore;
  events: AuthEventsSubscriber;
  /** The open event streams per session (capped). */
  streams: StreamRegistry;
  proxy: UpstreamProxy;
  verifyLogoutToken: (token: string) => Promise<LogoutTokenClaims>;
  logger: BffLogger;
  /** Metrics hooks (`{}` when the app passes none). */
  observer: BffObserver;
  /** Drain state and open event streams (SPEC §7). */
  shutdown: BffShutdown;
  /** Sign-outs whose provider part is retried until done (SPEC §7). */
  pendingSignOuts: PendingSignOuts;
}
