/**
 * Reads and writes a world as a directory of newline-delimited JSON files, one file per collection.
 * The layout is documented in simulators/README.md; missing files mean empty collections, so a directory
 * holding only the Jira files is a valid (Jira-only) world.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { emptyWorld, type GithubWorld, type JiraWorld, type World, type WorldMeta } from './types';

const obj = z.looseObject({});
const idStr = z.string().min(1);

/** One zod schema per file: only the fields the simulators index on are required. */
export const JIRA_FILES = {
  projects: { file: 'jira/projects.ndjson', schema: z.looseObject({ id: idStr, key: idStr, name: z.string() }) },
  issueTypes: { file: 'jira/issue-types.ndjson', schema: z.looseObject({ id: idStr, name: z.string() }) },
  statuses: { file: 'jira/statuses.ndjson', schema: z.looseObject({ id: idStr, name: z.string() }) },
  projectStatuses: { file: 'jira/project-statuses.ndjson', schema: z.looseObject({ project: idStr, body: z.array(obj) }) },
  fields: { file: 'jira/fields.ndjson', schema: z.looseObject({ id: idStr, name: z.string() }) },
  issues: { file: 'jira/issues.ndjson', schema: z.looseObject({ id: idStr, key: idStr, fields: obj }) },
  devStatus: {
    file: 'jira/dev-status.ndjson',
    schema: z.looseObject({ issueId: idStr, applicationType: idStr, dataType: idStr, body: obj }),
  },
  boards: { file: 'jira/boards.ndjson', schema: z.looseObject({ id: z.number().int(), name: z.string() }) },
  sprints: { file: 'jira/sprints.ndjson', schema: z.looseObject({ id: z.number().int(), name: z.string() }) },
  sprintReports: {
    file: 'jira/sprint-reports.ndjson',
    schema: z.looseObject({ boardId: z.number().int(), sprintId: z.number().int(), body: obj }),
  },
} as const satisfies Record<keyof JiraWorld, { file: string; schema: z.ZodType }>;

export const GITHUB_FILES = {
  repositories: {
    file: 'github/repositories.ndjson',
    schema: z.looseObject({ id: z.number().int(), name: z.string(), full_name: z.string().includes('/') }),
  },
  pulls: {
    file: 'github/pulls.ndjson',
    schema: z.looseObject({
      id: z.number().int(),
      number: z.number().int(),
      state: z.string(),
      created_at: z.string(),
      updated_at: z.string(),
      base: z.looseObject({ repo: z.looseObject({ full_name: z.string() }) }),
    }),
  },
  commits: {
    file: 'github/commits.ndjson',
    schema: z.looseObject({ repository: z.string().includes('/'), pull_number: z.number().int(), commit: obj }),
  },
  reviews: { file: 'github/reviews.ndjson', schema: z.looseObject({ id: z.number().int(), pull_request_url: z.string() }) },
  reviewComments: {
    file: 'github/review-comments.ndjson',
    schema: z.looseObject({ id: z.number().int(), pull_request_url: z.string() }),
  },
  issueComments: {
    file: 'github/issue-comments.ndjson',
    schema: z.looseObject({ id: z.number().int(), issue_url: z.string() }),
  },
} as const satisfies Record<keyof GithubWorld, { file: string; schema: z.ZodType }>;

const MetaSchema = z.looseObject({
  format: z.literal(1),
  seed: z.number().int().nullable().default(null),
  scale: z.string().nullable().default(null),
  anchor: z.string(),
  organization: z.string().default('sluice-demo'),
});

async function readCollection(dir: string, file: string, schema: z.ZodType): Promise<unknown[]> {
  const path = join(dir, file);
  if (!existsSync(path)) return [];
  const out: unknown[] = [];
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${path} line ${n} is not valid JSON; each line must hold one entity.`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${path} line ${n} does not fit the world format (${issue?.path.join('.') || 'entity'}: ${issue?.message}); see simulators/README.md.`);
    }
    // Keep the original object, not zod's copy: loose parsing must not reorder or coerce anything.
    out.push(value);
  }
  return out;
}

/** Loads a world directory. Throws one clear error naming the file and line that is wrong. */
export async function loadWorld(dir: string): Promise<World> {
  if (!existsSync(dir)) throw new Error(`The world directory ${dir} does not exist; pass a directory written by --write-world or laid out as in simulators/README.md.`);
  const metaPath = join(dir, 'meta.json');
  const meta: WorldMeta = existsSync(metaPath)
    ? (MetaSchema.parse(JSON.parse(readFileSync(metaPath, 'utf8'))) as WorldMeta)
    : emptyWorld().meta;
  const world = emptyWorld(meta);
  for (const [name, spec] of Object.entries(JIRA_FILES)) {
    (world.jira as unknown as Record<string, unknown[]>)[name] = await readCollection(dir, spec.file, spec.schema);
  }
  for (const [name, spec] of Object.entries(GITHUB_FILES)) {
    (world.github as unknown as Record<string, unknown[]>)[name] = await readCollection(dir, spec.file, spec.schema);
  }
  return world;
}

async function writeCollection(dir: string, file: string, items: readonly unknown[]): Promise<void> {
  const path = join(dir, file);
  mkdirSync(join(path, '..'), { recursive: true });
  const out = createWriteStream(path, 'utf8');
  for (const item of items) {
    if (!out.write(JSON.stringify(item) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Writes a world in the directory format (overwriting the files it owns). */
export async function writeWorld(world: World, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(world.meta, null, 2) + '\n');
  for (const [name, spec] of Object.entries(JIRA_FILES)) {
    await writeCollection(dir, spec.file, (world.jira as unknown as Record<string, unknown[]>)[name] ?? []);
  }
  for (const [name, spec] of Object.entries(GITHUB_FILES)) {
    await writeCollection(dir, spec.file, (world.github as unknown as Record<string, unknown[]>)[name] ?? []);
  }
}
