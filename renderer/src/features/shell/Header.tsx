import { ConnectionIndicator } from './ConnectionIndicator';
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
      <ConnectionIndicator />
      <ThemeToggle />
    </header>
  );
}
