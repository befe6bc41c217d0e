export { type AppBffDefinition, defineAppBff } from './app-bff';
export { type AppKind, type BffEnv, loadBffEnv } from './env';
export { createPageGuard, mergeCookies, PAGE_METHODS, type PageGuardOptions } from './page-guard';
export { getPageUser } from './page-session';
export { authRouteHandlers, proxyRouteHandler } from './route-handlers';
