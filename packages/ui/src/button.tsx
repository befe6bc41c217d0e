import type { ButtonHTMLAttributes } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Visual weight. Default 'primary'. */
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  /** Shows a spinner, disables the button and sets aria-busy. */
  busy?: boolean;
}

/** A button; `busy` keeps its width while it works. Defaults to type="button". */
export function Button({
  variant = 'primary',
  busy = false,
  disabled,
  className,
  children,
  type = 'button',
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      className={`ui-button ui-button--${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <span className="ui-spinner ui-spinner--inline" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}
