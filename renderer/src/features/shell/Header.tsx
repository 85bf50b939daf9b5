import { ConnectionIndicator } from './ConnectionIndicator';
import { SessionBadge } from './SessionBadge';
import { TenantSwitcher } from './TenantSwitcher';
import { ThemeToggle } from './ThemeToggle';

export function Header() {
  return (
    <header className="shell-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Sluice</span>
      </div>
      <TenantSwitcher />
      <div className="header-spacer" />
      <SessionBadge />
      <ConnectionIndicator />
      <ThemeToggle />
    </header>
  );
}
