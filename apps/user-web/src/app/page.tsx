import { getPageUser } from '@bff-auth/bff-next/server';
import { Card } from '@bff-auth/ui/card';
import { getBff } from '@/lib/bff';

export default async function Home() {
  const user = await getPageUser(getBff);
  return (
    <>
      <h1>{user ? `Welcome back, ${user.name || user.email}` : 'Welcome'}</h1>
      <Card>
        {user ? (
          <p>
            You are signed in. <a href="/profile">View and edit your profile</a>.
          </p>
        ) : (
          <>
            <p>
              Sign in to see and edit your profile. Your session stays on the server: this page never sees a
              token.
            </p>
            <a className="ui-button ui-button--primary" href="/api/auth/login?returnTo=/profile">
              Sign in
            </a>
          </>
        )}
      </Card>
    </>
  );
}
