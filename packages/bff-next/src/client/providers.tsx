'use client';

import { ToastProvider } from '@bff-auth/ui/toast';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError } from './api-client';
import { SessionWatcher } from './session-watcher';

/** React Query, toasts and the live session watcher; wrap each app's body once. */
export function Providers({ children, watchSession }: { children: ReactNode; watchSession: boolean }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 5_000,
            // Client errors will not fix themselves; server errors and outages may.
            retry: (count, error) =>
              count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>
        {watchSession ? <SessionWatcher /> : null}
        {children}
      </ToastProvider>
    </QueryClientProvider>
  );
}
