export { onShutdown, SHUTDOWN_SIGNALS } from './on-shutdown';
export { runService } from './run-service';
export { type ServeServiceOptions, serveService } from './serve-service';
