import { useAppStore } from '../../app/context';
import { resolveTheme } from '../../store';

export function ThemeToggle() {
  const resolved = useAppStore(resolveTheme);
  const toggleTheme = useAppStore((s) => s.toggleTheme);
  const next = resolved === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="button ghost icon-button"
      data-testid="theme-toggle"
      onClick={toggleTheme}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
    >
      <span aria-hidden="true">{resolved === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
