import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { screen, type BrowserWindow } from 'electron';
import { z } from 'zod';

import { writeOwnerOnly } from '../profiles/owner-only';

/**
 * The console window opens where it was left: position, size and maximized state in
 * `<userData>/window-state.json`. A saved position on a display that is gone (a laptop undocked)
 * is dropped, so the window never opens off-screen; a damaged file is ignored (defaults).
 */
const Bounds = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(400).max(20_000), height: z.number().int().min(300).max(20_000) });
const SavedState = z.object({ bounds: Bounds, maximized: z.boolean() });
export type WindowState = z.infer<typeof SavedState>;
type Rect = z.infer<typeof Bounds>;

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;

/** At least this much of the window must be on some display to keep its position. */
const MIN_VISIBLE = 100;

const overlap = (a: Rect, b: Rect): { w: number; h: number } => ({
  w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
  h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
});

/** What to open the window with: the saved state when it is still visible, else the default size. */
export const loadWindowState = (userData: string): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } => {
  const path = join(userData, 'window-state.json');
  const fallback = { bounds: { ...DEFAULT_SIZE }, maximized: false };
  if (!existsSync(path)) return fallback;
  let saved: WindowState;
  try {
    const parsed = SavedState.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) return fallback;
    saved = parsed.data;
  } catch {
    return fallback;
  }
  const visible = screen.getAllDisplays().some((d) => {
    const o = overlap(saved.bounds, d.workArea);
    return o.w >= MIN_VISIBLE && o.h >= MIN_VISIBLE;
  });
  // Off every display: keep the size (clamped to the primary display), let the OS place it.
  if (!visible) {
    const area = screen.getPrimaryDisplay().workArea;
    return { bounds: { width: Math.min(saved.bounds.width, area.width), height: Math.min(saved.bounds.height, area.height) }, maximized: saved.maximized };
  }
  return { bounds: saved.bounds, maximized: saved.maximized };
};

/** Saves the window's state when it moves, resizes, (un)maximizes (debounced) and when it closes. */
export const trackWindowState = (window: BrowserWindow, userData: string, debounceMs = 500): void => {
  const path = join(userData, 'window-state.json');
  let timer: NodeJS.Timeout | null = null;
  const save = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    // Maximized: keep the normal bounds, so un-maximizing next time goes back to them.
    const state: WindowState = { bounds: window.isMaximized() ? window.getNormalBounds() : window.getBounds(), maximized: window.isMaximized() };
    const checked = SavedState.safeParse(state);
    if (checked.success) writeOwnerOnly(path, `${JSON.stringify(checked.data)}\n`);
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', later);
  window.on('close', save);
};
