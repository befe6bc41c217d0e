export { closeGracefully, DEFAULT_DRAIN_MS } from './close-gracefully';
export { createDrainState, type DrainState, drainAwareListener, READY_PATH } from './draining';
export { onShutdown, SHUTDOWN_DEADLINE_MS, SHUTDOWN_SIGNALS } from './on-shutdown';
export { runService } from './run-service';
export { type ServeServiceOptions, serveService } from './serve-service';
