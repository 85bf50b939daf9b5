import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { app, Menu, resetFakeElectron, shell, type FakeMenuItem } from '../testing/fake-electron';
import { setupMenu } from './menu';

vi.mock('electron', () => import('../testing/fake-electron'));

beforeEach(() => resetFakeElectron());

const accelerators = (items: FakeMenuItem[]): string[] => items.flatMap((i) => [...(i.accelerator ? [i.accelerator] : []), ...accelerators(i.submenu ?? [])]);

describe('native menu', () => {
  it('has the usual shortcuts on Linux and Windows, no devtools when packaged, and no duplicate accelerator', () => {
    app.isPackaged = true;
    setupMenu({ platform: 'linux', crashReportsDir: '/home/u/.config/Sluice/crash-reports' });
    const menu = Menu.application!;
    expect(menu.items.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(menu.find('File', 'quit')?.accelerator).toBe('Ctrl+Q');
    expect(menu.find('File', 'close')?.accelerator).toBe('CmdOrCtrl+W');
    expect(menu.find('Edit', 'copy')?.accelerator).toBe('CmdOrCtrl+C');
    expect(menu.find('View', 'reload')?.accelerator).toBe('CmdOrCtrl+R');
    expect(menu.find('View', 'togglefullscreen')?.accelerator).toBe('F11');
    expect(menu.find('View', 'toggleDevTools')).toBeUndefined();
    const all = accelerators(menu.items);
    expect(new Set(all).size).toBe(all.length);
  });

  it('has the macOS app menu and shortcuts, and devtools in development', () => {
    setupMenu({ platform: 'darwin', crashReportsDir: '/x', packaged: false });
    const menu = Menu.application!;
    expect(menu.items.map((i) => i.label)).toEqual(['Sluice', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(menu.find('Sluice', 'quit')?.accelerator).toBe('Command+Q');
    expect(menu.find('File', 'quit')).toBeUndefined();
    expect(menu.find('View', 'toggleDevTools')?.accelerator).toBe('Alt+Command+I');
    expect(menu.find('Edit', 'redo')?.accelerator).toBe('Shift+Command+Z');
  });

  it('opens only the local crash-report folder, never a URL', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sluice-menu-')), 'crash-reports');
    setupMenu({ platform: 'linux', crashReportsDir: dir, packaged: true });
    Menu.application!.find('Help', 'Show Crash Reports')?.click?.();
    expect(shell.openedPaths).toEqual([dir]);
    // Created when there is no report yet, so the OS opens a folder rather than failing.
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(shell.opened).toEqual([]);
  });
});
