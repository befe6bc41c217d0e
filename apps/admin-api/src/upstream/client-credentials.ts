// Moved to service-kit: user-api calls the auth service the same way (client credentials; admin-api exchanges).
export * from '@bff-auth/service-kit/upstream';
