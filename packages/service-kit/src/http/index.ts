export { bodyLimit, MAX_BODY_BYTES } from './body-limit';
export { type ErrorBody, errorBody, failure, success } from './envelope';
export { errorHandler, fieldErrors, notFoundHandler } from './error-handler';
export { healthRoutes, type Pingable, READY_CHECK_TIMEOUT_MS } from './health';
export { readJson } from './json-body';
export { methodNotAllowed } from './method-not-allowed';
export { REQUEST_ID_HEADER, requestId, requestIdFrom } from './request-id';
export { requestLogger } from './request-logger';
export { listen, MAX_HEADER_BYTES, type StartedServer } from './serve';
