import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the Electron binary is, or why the desktop app cannot start here. We never `require('electron')`
 * from the CLI: since Electron 42 that call downloads the binary when it is missing, which hangs or
 * fails on a machine without internet. Instead we look for the binary ourselves.
 */
export const findElectron = (env: NodeJS.ProcessEnv = process.env): { path: string } | { reason: string } => {
  if (env['SLUICE_HEADLESS'] === '1') return { reason: 'SLUICE_HEADLESS=1' };
  if (process.platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) return { reason: 'no display (DISPLAY is unset)' };
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const dist = env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(pkgDir, 'dist');
  const binary = join(dist, relative);
  return existsSync(binary) ? { path: binary } : { reason: `the Electron binary is not downloaded (${binary})` };
};

/** Runs the desktop app (with `args` after the app, e.g. a bundle to open) and resolves with its exit code. */
export const runElectron = (binary: string, appRoot: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(binary, [appRoot, ...args], { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 0));
  });
