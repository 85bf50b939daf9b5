/**
 * `sluice sim jira|github`: runs one simulator in the foreground. The base URL is the first line of stdout
 * (scripts read it); world counts follow on stderr. Stops cleanly on SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { CliError, type RegisterCommand } from '../command';
import {
  generateWorld, isScaleName, loadWorld, startGithubSimulator, startJiraSimulator, worldCounts, writeWorld,
  DEFAULT_TOKEN, type RunningSimulator, type World,
} from '../../../simulators';

interface SimOptions {
  port?: string;
  scale: string;
  seed: string;
  world?: string;
  token: string;
  writeWorld?: string;
  rateLimits?: string;
}

/** `graphql=100000,core=20000` → GitHub per-resource limits (the real ones are 5000/h, 30/min for search). */
const parseRateLimits = (text: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const part of text.split(',').filter(Boolean)) {
    const [name, value] = part.split('=');
    const n = Number(value);
    if (!name || !['core', 'search', 'graphql'].includes(name) || !Number.isInteger(n) || n < 1) {
      throw new CliError(`--rate-limits takes resource=limit pairs for core, search and graphql (e.g. graphql=100000), got "${part}".`);
    }
    out[name] = n;
  }
  return out;
};

async function run(kind: string, o: SimOptions): Promise<void> {
  if (kind !== 'jira' && kind !== 'github') throw new CliError(`Unknown simulator "${kind}"; use "sluice sim jira" or "sluice sim github".`);
  if (!isScaleName(o.scale)) throw new CliError(`Unknown scale "${o.scale}"; use small, demo or large.`);
  const seed = Number(o.seed);
  if (!Number.isInteger(seed)) throw new CliError(`--seed must be an integer, got "${o.seed}".`);
  const port = o.port === undefined ? 0 : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a TCP port number (0-65535), got "${o.port}".`);
  let world: World;
  try {
    world = o.world ? await loadWorld(o.world) : generateWorld({ scale: o.scale, seed });
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  if (o.writeWorld) await writeWorld(world, o.writeWorld);
  let sim: RunningSimulator;
  try {
    if (o.rateLimits && kind !== 'github') throw new CliError('--rate-limits applies to the GitHub simulator only.');
    const rateLimits = o.rateLimits ? parseRateLimits(o.rateLimits) : undefined;
    sim = kind === 'jira' ? await startJiraSimulator({ world, port, token: o.token }) : await startGithubSimulator({ world, port, token: o.token, ...(rateLimits ? { rateLimits } : {}) });
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(code === 'EADDRINUSE' ? `Port ${port} is already in use; pick another with --port or omit it for a free one.` : `The ${kind} simulator could not start: ${(e as Error).message}`);
  }
  process.stdout.write(`${sim.url}\n`);
  process.stderr.write(`${kind} simulator on ${sim.url} (token "${o.token}"; world ${JSON.stringify(worldCounts(world))}${o.writeWorld ? `; written to ${o.writeWorld}` : ''})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void sim.stop().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const register: RegisterCommand = (program: Command) => {
  program
    .command('sim')
    .description('Run a local Jira Cloud or GitHub API simulator with generated or loaded data')
    .argument('<kind>', 'jira or github')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free port)')
    .option('--scale <scale>', 'generated world size: small, demo or large', 'demo')
    .option('--seed <n>', 'generator seed', '1')
    .option('--world <dir>', 'serve a world loaded from this NDJSON directory instead of generating one')
    .option('--token <t>', 'the credential the simulator accepts', DEFAULT_TOKEN)
    .option('--write-world <dir>', 'also write the world to this directory in the NDJSON format')
    .option('--rate-limits <pairs>', 'GitHub only: per-resource limits per window, e.g. graphql=100000,core=20000')
    .action(async (kind: string, o: SimOptions) => run(kind, o));
};
