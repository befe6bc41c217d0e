export { CSRF_HEADER, CsrfError, checkCsrf, SAFE_METHODS } from './check-csrf';
