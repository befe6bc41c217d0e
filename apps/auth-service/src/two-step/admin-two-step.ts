/** The role whose accounts must have a second factor to use the admin app (SPEC §12). */
export const ADMIN_ROLE = 'admin';
/** The clients that admit an admin only after a sign-in with the second factor. */
export const ADMIN_CLIENTS: ReadonlySet<string> = new Set(['admin-web']);

/**
 * The one place that decides whether a sign-in must end with a second factor the account may not have
 * yet: with `ADMIN_TWO_STEP_REQUIRED` (default on), an account with the admin role signing in to the
 * admin app. The provider's login prompt asks again for such a session signed in with a password alone
 * (oidc/two-step-checks.ts), and the sign-in pages offer enrolment to such an account without TOTP.
 */
export function createAdminTwoStepRule({ required }: { required: boolean }) {
  return {
    required,
    /** Whether this client's sign-in of an account with these roles needs the second factor. */
    appliesTo: (clientId: string | undefined, roles: readonly string[]): boolean =>
      required && clientId !== undefined && ADMIN_CLIENTS.has(clientId) && roles.includes(ADMIN_ROLE),
  };
}
export type AdminTwoStepRule = ReturnType<typeof createAdminTwoStepRule>;
