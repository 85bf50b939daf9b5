import { useAppStore } from '../../app/context';
import { PageHeader } from '../../components/PageHeader';
import type { ThemePreference } from '../../store';

import { ProfilesPanel } from './ProfilesPanel';
import './settings.css';

const themeChoices: { value: ThemePreference; label: string }[] = [
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'system', label: 'Follow the system' },
];

export function SettingsPage() {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  return (
    <section className="page" data-testid="settings-page">
      <PageHeader title="Settings" />
      <div className="panel">
        <div className="panel-title">Appearance</div>
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {themeChoices.map((choice) => (
            <label key={choice.value} className={theme === choice.value ? 'segment active' : 'segment'}>
              <input
                type="radio"
                name="theme"
                value={choice.value}
                checked={theme === choice.value}
                onChange={() => setTheme(choice.value)}
              />
              {choice.label}
            </label>
          ))}
        </div>
        <p className="muted small">Stored in this browser only, like the selected tenant. No secret is ever kept here.</p>
      </div>
      <ProfilesPanel />
    </section>
  );
}
