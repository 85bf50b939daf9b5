import { mkdirSync } from 'node:fs';

import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  readonly platform?: NodeJS.Platform;
  /** Developer tools only in development builds. */
  readonly packaged: boolean;
  /** The local crash-report folder (Help → Show Crash Reports). */
  readonly crashReportsDir: string;
  readonly productName?: string;
}

/**
 * The native menu with the platform's usual keyboard shortcuts. Items use Electron roles where one
 * exists, so labels and accelerators follow each OS (⌘Q vs Ctrl+Q, the macOS app menu). Nothing
 * here opens a URL: the only thing it opens is a local folder this app writes.
 */
export const menuTemplate = ({ platform = process.platform, packaged, crashReportsDir, productName = 'Sluice' }: MenuOptions): MenuItemConstructorOptions[] => {
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: productName,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit', accelerator: 'Command+Q' }],
    });
  }
  template.push(
    { label: 'File', submenu: [{ role: 'close', accelerator: 'CmdOrCtrl+W' }, ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', accelerator: 'Ctrl+Q' } as const])] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo', accelerator: 'CmdOrCtrl+Z' },
        { role: 'redo', accelerator: mac ? 'Shift+Command+Z' : 'Ctrl+Y' },
        { type: 'separator' },
        { role: 'cut', accelerator: 'CmdOrCtrl+X' },
        { role: 'copy', accelerator: 'CmdOrCtrl+C' },
        { role: 'paste', accelerator: 'CmdOrCtrl+V' },
        { role: 'selectAll', accelerator: 'CmdOrCtrl+A' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload', accelerator: 'CmdOrCtrl+R' },
        { role: 'forceReload', accelerator: 'Shift+CmdOrCtrl+R' },
        ...(packaged ? [] : [{ role: 'toggleDevTools', accelerator: mac ? 'Alt+Command+I' : 'Ctrl+Shift+I' } as const]),
        { type: 'separator' },
        { role: 'resetZoom', accelerator: 'CmdOrCtrl+0' },
        { role: 'zoomIn', accelerator: 'CmdOrCtrl+=' },
        { role: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
        { type: 'separator' },
        { role: 'togglefullscreen', accelerator: mac ? 'Ctrl+Command+F' : 'F11' },
      ],
    },
    { label: 'Window', submenu: [{ role: 'minimize', accelerator: 'CmdOrCtrl+M' }, ...(mac ? [{ role: 'zoom' } as const, { type: 'separator' } as const, { role: 'front' } as const] : [])] },
    {
      label: 'Help',
      submenu: [
        {
          label: 'Show Crash Reports',
          click: () => {
            // The folder exists once a report was written; open an empty one rather than an error.
            mkdirSync(crashReportsDir, { recursive: true, mode: 0o700 });
            void shell.openPath(crashReportsDir);
          },
        },
        ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about' } as const]),
      ],
    },
  );
  return template;
};

export const setupMenu = (options: Omit<MenuOptions, 'packaged'> & { packaged?: boolean }): void => {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ ...options, packaged: options.packaged ?? app.isPackaged })));
};
