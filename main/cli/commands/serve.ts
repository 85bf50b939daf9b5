import { Option } from 'commander';

import { loadConfig } from '../../engine/config';
import { createLogger } from '../../engine/logger';
import { MetricsConfigError, metricsPortFrom } from '../../engine/metrics/config';
import { CliError, type RegisterCommand } from '../command';
import { startHeadlessConsole, untilSignal } from '../console';
import { withLocalStack } from '../endpoints';
import { applyProfileFile } from '../../profiles/profile-file';

export const register: RegisterCommand = (program) => {
  program
    .command('serve')
    .description('run the engine and the console over HTTP + WebSocket on loopback (headless)')
    .addOption(new Option('--host <host>', 'address to bind (default 127.0.0.1; anything else exposes the console)'))
    .addOption(new Option('--port <port>', 'port (default 7420, 0 = any free port)').argParser((v) => Number(v)))
    .option('--no-migrate', 'do not apply pending migrations at start')
    .addOption(new Option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:<port>/metrics (default: SLUICE_METRICS_PORT, else off)'))
    .addOption(new Option('--queue-prefix <prefix>', 'RabbitMQ and Redis namespace prefix of the embedded workers (to share one broker between environments)'))
    .addOption(new Option('--profile <file>', 'connection profile JSON (owner-only, chmod 600) with the service URLs and credentials; overrides the environment'))
    .action(async (opts: { profile?: string; host?: string; port?: number; migrate: boolean; metricsPort?: string; queuePrefix?: string }) => {
      let metricsPort: number | null;
      try {
        metricsPort = metricsPortFrom(process.env, opts.metricsPort);
      } catch (error) {
        if (error instanceof MetricsConfigError) throw new CliError(error.message, 2);
        throw error;
      }
      if (opts.queuePrefix !== undefined && !/^[A-Za-z0-9._-]{0,80}$/.test(opts.queuePrefix)) {
        throw new CliError(`--queue-prefix "${opts.queuePrefix}" is invalid: use up to 80 letters, digits, dots, dashes or underscores.`, 2);
      }
      const base = await withLocalStack(applyProfileFile(loadConfig(), opts.profile));
      const config = { ...base, serve: { ...base.serve, host: opts.host ?? base.serve.host, port: opts.port ?? base.serve.port } };
      const logger = createLogger('serve');
      const console_ = await startHeadlessConsole(config, { logger, migrate: opts.migrate, metricsPort, ...(opts.queuePrefix ? { queuePrefix: opts.queuePrefix } : {}) });
      // First line of stdout: the URL that opens the console (scripts and tests read it).
      process.stdout.write(`${console_.server.loginUrl}\n`);
      process.stderr.write(`Sluice console on ${console_.server.url} (token in the URL above; Ctrl-C to stop)${console_.engine.metricsUrl ? `; Prometheus metrics on ${console_.engine.metricsUrl}` : ''}\n`);
      await untilSignal();
      await console_.close();
    });
};
