// A separate entry point: only a service's main.ts (or Next's instrumentation.ts) loads the SDK.
export { startTracing, type Tracing, type TracingOptions } from './start-tracing';
