import type { ReactNode } from 'react';

export interface AlertProps {
  tone?: 'info' | 'warning' | 'danger' | 'success';
  title?: string;
  children?: ReactNode;
  action?: ReactNode;
}

/** An inline message box; warnings and errors are announced (role="alert"), others politely. */
export function Alert({ tone = 'info', title, children, action }: AlertProps) {
  const urgent = tone === 'danger' || tone === 'warning';
  return (
    <div className={`ui-alert ui-alert--${tone}`} role={urgent ? 'alert' : 'status'}>
      <div className="ui-alert__body">
        {title ? <strong className="ui-alert__title">{title}</strong> : null}
        {children ? <div>{children}</div> : null}
      </div>
      {action ? <div className="ui-alert__action">{action}</div> : null}
    </div>
  );
}
