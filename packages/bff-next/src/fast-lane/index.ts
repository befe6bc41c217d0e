export { createFastLaneListener, type FastLaneListenerOptions } from './fast-lane-listener';
export { toWebRequest, type WebRequest } from './node-request';
export { createRouteLookup, type FastLaneRoute, type RouteLookup } from './route-index';
export { type FastLane, type StartFastLaneOptions, startFastLane } from './start-fast-lane';
export { writeResponse } from './write-response';
