import { getPageUser } from '@bff-auth/bff-next/server';
import { Card } from '@bff-auth/ui/card';
import { appEnv } from '@/env';
import { ADMIN_ROLE } from '@/lib/admin-types';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const user = await getPageUser(getBff);
  return (
    <>
      <h1>Administration</h1>
      <Card>
        {user?.roles.includes(ADMIN_ROLE) ? (
          <p>
            <a href="/users">Manage users</a> or <a href="/audit">read the audit log</a>.
          </p>
        ) : user ? (
          <p>
            Your account does not have the admin role. <a href={appEnv().USER_WEB_URL}>Go to the user app</a>.
          </p>
        ) : (
          <>
            <p>Sign in with an administrator account to manage users and sessions.</p>
            <a className="ui-button ui-button--primary" href="/api/auth/login?returnTo=/users">
              Sign in
            </a>
          </>
        )}
      </Card>
    </>
  );
}
