import type { ReactNode } from 'react';

/** A centred spinner with a text for screen readers. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="ui-state" role="status" aria-live="polite">
      <span className="ui-spinner" aria-hidden="true" />
      <span className="ui-state__text">{label}</span>
    </div>
  );
}

/** Shown when a list has nothing to show. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="ui-state ui-state--empty">
      <p className="ui-state__title">{title}</p>
      {children ? <p className="ui-state__text">{children}</p> : null}
      {action}
    </div>
  );
}

/** Shown when loading failed; offers a retry. */
export function ErrorState({
  title = 'Something went wrong',
  children,
  onRetry,
}: {
  title?: string;
  children?: ReactNode;
  onRetry?: () => void;
}) {
  return (
    <div className="ui-state ui-state--error" role="alert">
      <p className="ui-state__title">{title}</p>
      {children ? <p className="ui-state__text">{children}</p> : null}
      {onRetry ? (
        <button type="button" className="ui-button ui-button--secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
