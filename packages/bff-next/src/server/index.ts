export { type AppBff, type AppBffDefinition, defineAppBff } from './app-bff';
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
