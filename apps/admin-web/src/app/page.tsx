import { getPageUser } from '@bff-auth/bff-next/server';
import { Card } from '@bff-auth/ui/card';
import { getBff } from '@/lib/bff';

export default async function Home() {
  const user = await getPageUser(getBff);
  return (
    <>
      <h1>Administration</h1>
      <Card>
        {user ? (
          <p>
            <a href="/users">Manage users</a> or <a href="/audit">read the audit log</a>.
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
