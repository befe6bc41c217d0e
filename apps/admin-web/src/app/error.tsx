'use client';

import { ErrorState } from '@bff-auth/ui/states';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <ErrorState title="This page could not be shown" onRetry={reset}>
      Try again in a moment.
    </ErrorState>
  );
}
