import type { ReactNode } from 'react';

export interface NavItem {
  href: string;
  label: string;
  current?: boolean;
}

export interface AppShellProps {
  product: string;
  nav?: NavItem[];
  /** Right side of the header: the user and the sign-out button. */
  account?: ReactNode;
  children: ReactNode;
}

/** Page frame: skip link, header with the product name and navigation, main content. */
export function AppShell({ product, nav = [], account, children }: AppShellProps) {
  return (
    <div className="ui-shell">
      <a className="ui-skip-link" href="#main">
        Skip to content
      </a>
      <header className="ui-header">
        <a className="ui-brand" href="/">
          <span aria-hidden="true">◆</span> {product}
        </a>
        {nav.length ? (
          <nav aria-label="Main" className="ui-nav">
            {nav.map((item) => (
              <a
                key={item.href}
                href={item.href}
                aria-current={item.current ? 'page' : undefined}
                className="ui-nav__link"
              >
                {item.label}
              </a>
            ))}
          </nav>
        ) : null}
        <div className="ui-header__account">{account}</div>
      </header>
      <main id="main" className="ui-main">
        {children}
      </main>
    </div>
  );
}
