// Moved to service-kit: user-api calls the auth service the same way.
export * from '@bff-auth/service-kit/upstream';
