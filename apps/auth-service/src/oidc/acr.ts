/**
 * The `acr` values of our sign-ins (oidc-provider's `acrValues`): a password alone, or a password and a
 * second factor. The session's `amr` says which methods (RFC 8176: `pwd`, `otp`).
 */
export const ACR = {
  password: 'urn:bff-auth:acr:password',
  twoStep: 'urn:bff-auth:acr:two-step',
} as const;
export const ACR_VALUES = [ACR.password, ACR.twoStep];
