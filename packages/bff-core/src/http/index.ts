export { clearCookie, readCookie, type SameSite, serializeCookie, withCookies } from './cookies';
export { type ErrorEnvelope, errorResponse, jsonResponse, toErrorResponse } from './envelope';
export { PayloadTooLargeError, readBodyText } from './read-body';
export { REQUEST_ID_HEADER, requestIdOf } from './request-id';
