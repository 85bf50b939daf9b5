import { app, Menu, nativeImage, Tray } from 'electron';

import type { EngineApi } from '../engine/types';
import { watchRuns } from './run-watch';

export interface TrayOptions {
  readonly engine: Pick<EngineApi, 'subscribe'>;
  /** The tray icon (resources/tray.png, shipped as an extra resource). */
  readonly iconPath: string;
  /** Shows and focuses the console window (opening one if none is open). */
  readonly showWindow: () => void;
  readonly platform?: NodeJS.Platform;
}

export const trayLabel = (count: number): string => (count === 0 ? 'No runs running' : count === 1 ? '1 run running' : `${count} runs running`);

/**
 * The tray icon shows how many runs are running (tooltip, menu, and the dock/launcher badge) and
 * opens the console. Built only from engine events: nothing here polls.
 */
export const setupTray = ({ engine, iconPath, showWindow, platform = process.platform }: TrayOptions): { tray: Tray; stop(): void } => {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  const render = (count: number): void => {
    tray.setToolTip(count === 0 ? 'Sluice' : `Sluice — ${trayLabel(count)}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: trayLabel(count), enabled: false },
        { type: 'separator' },
        { label: 'Open Sluice', click: showWindow },
        { label: 'Quit Sluice', click: () => app.quit() },
      ]),
    );
    // Windows has no badge count; macOS shows it on the dock icon, Linux on Unity-style launchers.
    if (platform !== 'win32') app.setBadgeCount(count);
  };
  render(0);
  tray.on('click', showWindow);

  const watch = watchRuns(engine, render);
  return {
    tray,
    stop: () => {
      watch.stop();
      tray.destroy();
    },
  };
};
