import '@bff-auth/ui/styles.css';
import { Providers, SignOutButton } from '@bff-auth/bff-next/client';
import { getPageUser } from '@bff-auth/bff-next/server';
import { AppShell } from '@bff-auth/ui/app-shell';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { getBff } from '@/lib/bff';

export const metadata: Metadata = { title: 'User app', description: 'Your profile' };
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getPageUser(getBff);
  return (
    <html lang="en">
      <body>
        <Providers watchSession={Boolean(user)}>
          <AppShell
            product="User app"
            nav={
              user
                ? [
                    { href: '/profile', label: 'Profile' },
                    { href: '/security', label: 'Security' },
                  ]
                : []
            }
            account={
              user ? (
                <>
                  <span>{user.name || user.email}</span>
                  <SignOutButton />
                </>
              ) : (
                <a className="ui-button ui-button--primary" href="/api/auth/login?returnTo=/profile">
                  Sign in
                </a>
              )
            }
          >
            {children}
          </AppShell>
        </Providers>
      </body>
    </html>
  );
}
