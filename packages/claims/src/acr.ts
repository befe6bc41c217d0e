/**
 * The `acr` values (OIDC Core §2) of our auth service's sign-ins, written once for the three that use
 * them: the auth service gives them (oidc-provider's `acrValues`), admin-api's step-up checks them and
 * admin-web asks for `twoStep` in a step-up sign-in (RFC 9470's `acr_values`). A password alone, or a
 * password and a second factor; the session's `amr` says which methods (RFC 8176: `pwd`, `otp`).
 */
export const ACR = {
  password: 'urn:bff-auth:acr:password',
  twoStep: 'urn:bff-auth:acr:two-step',
} as const;

/** One of the `ACR` values. */
export type Acr = (typeof ACR)[keyof typeof ACR];

/** Every `acr` the auth service gives, weakest first (its discovery's `acr_values_supported`). */
export const ACR_VALUES: readonly Acr[] = [ACR.password, ACR.twoStep];
