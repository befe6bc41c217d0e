import { ACR } from '@bff-auth/claims';
import { interactionPolicy } from 'oidc-provider';
import type { AdminTwoStepRule } from '../two-step/admin-two-step';

/**
 * oidc-provider's default prompts plus one check of the login prompt, `two_step`: a session signed in
 * without the second factor signs in again (password, then code or enrolment) when
 *
 * - the request asks for `acr_values` with the two-step acr (a step-up, RFC 9470) and the account has
 *   TOTP — oidc-provider itself treats `acr_values` as voluntary and would answer with the session's acr;
 * - or the admin rule applies (an admin signing in to the admin app while the setting is on).
 *
 * `max_age` is oidc-provider's own check. An account without TOTP that the rule does not cover cannot
 * give the two-step acr: its new sign-in (the password again) answers with the password acr, and the
 * check lets that result through instead of asking for ever.
 */
export function signInPolicy({
  rule,
  accountOf,
  hasTwoStep,
}: {
  rule: AdminTwoStepRule;
  accountOf: (accountId: string) => Promise<{ roles: string[] } | undefined>;
  hasTwoStep: (accountId: string) => Promise<boolean>;
}): interactionPolicy.DefaultPolicy {
  const { Check, base } = interactionPolicy;
  const policy = base();
  policy.get('login')?.checks.add(
    new Check('two_step', 'a sign-in with the second factor is required', async (ctx) => {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      if (!accountId || oidc.acr === ACR.twoStep || oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      const requested = String(oidc.params?.acr_values ?? '').split(' ');
      if (requested.includes(ACR.twoStep) && (await hasTwoStep(accountId))) return Check.REQUEST_PROMPT;
      const account = await accountOf(accountId);
      if (account && rule.appliesTo(oidc.client?.clientId, account.roles)) return Check.REQUEST_PROMPT;
      return Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}
