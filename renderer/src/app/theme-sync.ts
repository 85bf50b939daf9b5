import { resolveTheme, type AppStore } from '../store';

/**
 * Mirrors the resolved theme onto `<html data-theme>` (the CSS variables key off it) and follows
 * the OS preference while the user has chosen `system`. Runs before the first render so the page
 * never flashes the wrong theme.
 */
export function syncTheme(store: AppStore, win: Window): () => void {
  const root = win.document.documentElement;
  const media = win.matchMedia?.('(prefers-color-scheme: dark)');
  const apply = () => {
    const theme = resolveTheme(store.getState());
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  };
  const onMedia = (event: MediaQueryListEvent) => store.getState().setSystemDark(event.matches);

  if (media) {
    store.getState().setSystemDark(media.matches);
    media.addEventListener('change', onMedia);
  }
  apply();
  const unsubscribe = store.subscribe(apply);
  return () => {
    unsubscribe();
    media?.removeEventListener('change', onMedia);
  };
}
