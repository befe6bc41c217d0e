// Moved to service-kit: user-api calls the auth service the same way.
export { fromFetchFailure, UpstreamError, type UpstreamErrorCode } from '@bff-auth/service-kit/upstream';
