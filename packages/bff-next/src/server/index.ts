export { type AppBff, type AppBffDefinition, defineAppBff } from './app-bff';
export { type AppKind, type BffEnv, loadBffEnv } from './env';
export { metricsObserver } from './metrics-observer';
export { createPageGuard, mergeCookies, type PageGuardOptions } from './page-guard';
export { getPageUser } from './page-session';
export { authRouteHandlers, metricsRouteHandler, proxyRouteHandler } from './route-handlers';
