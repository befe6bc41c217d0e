export { DEFAULT_RETURN_TO, safeReturnTo } from './safe-return-to';
