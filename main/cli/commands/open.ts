import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Option } from 'commander';

import { BundleError } from '../../engine/bundles/parse';
import { checkBundlePath, openBundleFile } from '../../engine/bundles/open-file';
import { loadConfig } from '../../engine/config';
import { createLogger } from '../../engine/logger';
import { CliError, type RegisterCommand } from '../command';
import { startHeadlessConsole, untilSignal } from '../console';
import { findElectron, runElectron } from '../desktop';
import { withLocalStack } from '../endpoints';

const appRoot = (): string => join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `sluice open <file.sluice>`: the console with a raw bundle open in the inspector's bundle mode.
 * The desktop app when it can start here (it gets the path in argv, like a double-click on
 * Windows/Linux); otherwise `sluice serve` with the bundle already open, and the printed URL lands
 * on it. The file is checked first, so a wrong path fails here in one line, not in a window.
 */
export const register: RegisterCommand = (program) => {
  program
    .command('open <file>')
    .description('open a .sluice raw bundle in the console (the desktop app, or `sluice serve` where it cannot start)')
    .option('--headless', 'do not try the desktop app: serve the console in the browser')
    .addOption(new Option('--port <port>', 'console port when headless (default 7420, 0 = any free port)').argParser((v) => Number(v)))
    .action(async (file: string, opts: { headless?: boolean; port?: number }) => {
      const path = resolve(process.cwd(), file);
      try {
        await checkBundlePath(path);
      } catch (error) {
        if (error instanceof BundleError) throw new CliError(error.message, 2);
        throw error;
      }
      const electron = opts.headless ? { reason: '--headless' } : findElectron();
      if ('path' in electron) {
        process.stderr.write(`Opening ${path} in the desktop app…\n`);
        await runElectron(electron.path, appRoot(), process.env, [path]);
        return;
      }
      process.stderr.write(`Desktop app not started: ${electron.reason}. Serving the console in the browser instead.\n`);
      const base = await withLocalStack(loadConfig());
      const config = { ...base, serve: { ...base.serve, port: opts.port ?? base.serve.port } };
      const console_ = await startHeadlessConsole(config, { logger: createLogger('open'), migrate: true });
      try {
        const bundle = await openBundleFile(console_.engine.bundles, path, { reveal: true });
        // First line of stdout: the URL that opens the console (scripts and tests read it).
        process.stdout.write(`${console_.server.loginUrl}\n`);
        process.stderr.write(
          `${bundle.fileName}: ${bundle.units} unit(s)${bundle.problemCount ? `, ${bundle.problemCount} bad line(s) skipped` : ''}. Open the URL above: the console shows it in the raw inspector. Ctrl-C to stop.\n`,
        );
        await untilSignal();
      } catch (error) {
        if (error instanceof BundleError) throw new CliError(error.message, 2);
        throw error;
      } finally {
        await console_.close();
      }
    });
};
