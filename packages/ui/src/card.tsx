import type { ReactNode } from 'react';

/** A titled panel. */
export function Card({
  title,
  actions,
  children,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="ui-card">
      {title || actions ? (
        <div className="ui-card__head">
          {title ? <h2 className="ui-card__title">{title}</h2> : null}
          {actions ? <div className="ui-card__actions">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}
