import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/*
 * <home>/stack/state.json: what `up` started, so `down`/`status` (another process, later) can find it.
 * Ports, passwords and the RabbitMQ node name survive `down` on purpose: the Postgres cluster was
 * initialised with that password, RabbitMQ's mnesia is tied to the node name and holds the default
 * user, and stable ports keep URLs the same from one `up` to the next. Mode 0600: it holds credentials.
 */

const pid = z.number().int().positive().nullable();
const port = z.number().int().min(1).max(65_535);

export const postgresStateSchema = z.object({
  pid,
  port,
  user: z.string().min(1),
  password: z.string().min(1),
  database: z.string().min(1),
  dataDir: z.string().min(1),
});

export const rabbitmqStateSchema = z.object({
  pid,
  epmdPid: pid,
  port,
  managementPort: port,
  distPort: port,
  epmdPort: port,
  nodeName: z.string().min(1),
  user: z.string().min(1),
  password: z.string().min(1),
});

export const redisStateSchema = z.object({ pid, port, password: z.string().min(1) });

export const stackStateSchema = z.object({
  version: z.literal(1),
  postgres: postgresStateSchema.optional(),
  rabbitmq: rabbitmqStateSchema.optional(),
  redis: redisStateSchema.optional(),
});

export type PostgresState = z.infer<typeof postgresStateSchema>;
export type RabbitmqState = z.infer<typeof rabbitmqStateSchema>;
export type RedisState = z.infer<typeof redisStateSchema>;
export type StackState = z.infer<typeof stackStateSchema>;

export const emptyState = (): StackState => ({ version: 1 });

export const stackDir = (home: string): string => join(home, 'stack');
export const stateFile = (home: string): string => join(stackDir(home), 'state.json');

/** Parses state file text; a corrupt file is an error the user must resolve, not something to overwrite silently. */
export function parseState(text: string, file: string): StackState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`The stack state file ${file} is not valid JSON: stop any servers it lists by hand, delete it and run \`sluice stack up\` again.`);
  }
  const parsed = stackStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown';
    throw new Error(`The stack state file ${file} is invalid (${where}): stop any servers it lists by hand, delete it and run \`sluice stack up\` again.`);
  }
  return parsed.data;
}

export async function readState(home: string): Promise<StackState> {
  const file = stateFile(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw err;
  }
  return parseState(text, file);
}

/** Atomic replace (write temp + rename) so a crash mid-write never leaves a half file; 0600 from creation. */
export async function writeState(home: string, state: StackState): Promise<void> {
  const dir = stackDir(home);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = stateFile(home);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(stackStateSchema.parse(state), null, 2) + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
