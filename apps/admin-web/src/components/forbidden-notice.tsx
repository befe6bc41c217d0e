import 'server-only';
import { SignOutButton } from '@bff-auth/bff-next/client';
import { getPageUser } from '@bff-auth/bff-next/server';
import { Card } from '@bff-auth/ui/card';
import { appEnv } from '@/env';
import { getBff } from '@/lib/bff';

/**
 * What a person without the admin role sees (status 403). Someone still holding a session (their role
 * was taken away) signs out here; someone refused at sign-in has no session with us but may still be
 * signed in at the provider, so "Sign out" goes to the provider's end-session page to switch accounts.
 */
export async function ForbiddenNotice() {
  const user = await getPageUser(getBff);
  const providerSignOut = user
    ? null
    : await getBff()
        .context.oidc.endSessionUrl(undefined)
        .catch(() => null);
  return (
    <>
      <h1>You need the admin role to use this app</h1>
      <Card>
        <p className="admin-lead">
          {user ? (
            <>
              You are signed in as <strong>{user.email}</strong>, which is not an administrator account.
            </>
          ) : (
            'The account you signed in with is not an administrator account, so you were not signed in here.'
          )}{' '}
          Ask an administrator for access, or use the user app instead.
        </p>
        <div className="ui-row">
          <a className="ui-button ui-button--primary" href={appEnv().USER_WEB_URL}>
            Go to the user app
          </a>
          {user ? (
            <SignOutButton />
          ) : providerSignOut ? (
            <a className="ui-button ui-button--secondary" href={providerSignOut.href}>
              Sign out
            </a>
          ) : null}
        </div>
      </Card>
    </>
  );
}
