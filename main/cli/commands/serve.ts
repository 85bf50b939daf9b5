import { Option } from 'commander';

import { loadConfig } from '../../engine/config';
import { createLogger } from '../../engine/logger';
import type { RegisterCommand } from '../command';
import { startHeadlessConsole, untilSignal } from '../console';
import { withLocalStack } from '../endpoints';

export const register: RegisterCommand = (program) => {
  program
    .command('serve')
    .description('run the engine and the console over HTTP + WebSocket on loopback (headless)')
    .addOption(new Option('--host <host>', 'address to bind (default 127.0.0.1; anything else exposes the console)'))
    .addOption(new Option('--port <port>', 'port (default 7420, 0 = any free port)').argParser((v) => Number(v)))
    .option('--no-migrate', 'do not apply pending migrations at start')
    .action(async (opts: { host?: string; port?: number; migrate: boolean }) => {
      const base = await withLocalStack(loadConfig());
      const config = { ...base, serve: { ...base.serve, host: opts.host ?? base.serve.host, port: opts.port ?? base.serve.port } };
      const logger = createLogger('serve');
      const console_ = await startHeadlessConsole(config, { logger, migrate: opts.migrate });
      // First line of stdout: the URL that opens the console (scripts and tests read it).
      process.stdout.write(`${console_.server.loginUrl}\n`);
      process.stderr.write(`Sluice console on ${console_.server.url} (token in the URL above; Ctrl-C to stop)\n`);
      await untilSignal();
      await console_.close();
    });
};
