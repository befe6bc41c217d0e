import '@bff-auth/ui/styles.css';
import './admin.css';
import { Providers, SignOutButton } from '@bff-auth/bff-next/client';
import { getPageUser } from '@bff-auth/bff-next/server';
import { AppShell } from '@bff-auth/ui/app-shell';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ADMIN_ROLE } from '@/lib/admin-types';
import { getBff } from '@/lib/bff';

export const metadata: Metadata = { title: 'Admin app', description: 'Manage users and sessions' };
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getPageUser(getBff);
  const admin = Boolean(user?.roles.includes(ADMIN_ROLE));
  return (
    <html lang="en">
      <body>
        <Providers watchSession={Boolean(user)}>
          <AppShell
            product="Admin app"
            nav={
              admin
                ? [
                    { href: '/users', label: 'Users' },
                    { href: '/audit', label: 'Audit log' },
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
                <a className="ui-button ui-button--primary" href="/api/auth/login?returnTo=/users">
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
