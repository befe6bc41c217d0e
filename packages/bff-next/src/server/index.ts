// The entry point of server code: a client component that imports it fails the build. app-bff.ts and
// drain-on-signal.ts carry no marker of their own because the fast lane (a plain Node process, where
// the marker throws outside React's server bundles) loads them too.
import 'server-only';

export { type AppBff, type AppBffDefinition, defineAppBff } from './app-bff';
export {
  AUTH_ENDPOINTS,
  type AuthEndpoint,
  type AuthEndpointName,
  type AuthResponseHooks,
  answerAuthEndpoint,
} from './auth-endpoints';
export { drainOnSignal } from './drain-on-signal';
export { type AppKind, type BffEnv, loadBffEnv } from './env';
export { metricsObserver } from './metrics-observer';
export { createPageGuard, mergeCookies, PAGE_METHODS, type PageGuardOptions } from './page-guard';
export { getPageUser } from './page-session';
export {
  authRouteHandlers,
  metricsRouteHandler,
  proxyRouteHandler,
  readyRouteHandler,
} from './route-handlers';
