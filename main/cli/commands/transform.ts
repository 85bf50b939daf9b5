import { readFileSync } from 'node:fs';

import { Option } from 'commander';
import { z } from 'zod';

import { connectorPlans, planStreams } from '../../../shared/connectors';
import { BUNDLE_FORMAT } from '../../../shared/contract/bundles';
import { ApiError } from '../../../shared/contract/errors';
import { loadConfig } from '../../engine/config';
import { builtTaskEntry, createTaskRunner } from '../../engine/tasks';
import { CliError, type RegisterCommand } from '../command';
import { withLocalStack } from '../endpoints';

/**
 * `sluice transform --provider jira --file raw.json`: the real transform on raw payloads, printing the
 * unified rows it would produce as NDJSON (`{"table": ..., "row": {...}}` per line), writing nothing.
 * For debugging raw payloads locally: with `--integration N` it uses that integration's current
 * mappings from Postgres (as a run would); without, nothing is mapped and every type and status is
 * flagged as unmapped.
 *
 * The file holds either raw units as the inspector exports them (objects with `stream`, `payload`, and
 * `parentKey` or `partition`), one JSON document or NDJSON (a `.sluice` bundle: its header line is
 * skipped), or one bare payload with `--stream`.
 */

const ExportedUnit = z.looseObject({
  stream: z.string().min(1),
  payload: z.unknown(),
  partition: z.string().nullable().optional(),
  parentKey: z.string().nullable().optional(),
  parent_key: z.string().nullable().optional(),
});

interface Unit {
  stream: string;
  partition: string | null;
  payload: unknown;
}

const parseDocuments = (text: string, file: string): unknown[] => {
  const trimmed = text.trim();
  if (trimmed === '') throw new CliError(`${file} is empty.`, 2);
  try {
    return [JSON.parse(trimmed)];
  } catch {
    // NDJSON: one document per non-empty line.
    return trimmed.split('\n').filter((l) => l.trim() !== '').map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (error) {
        throw new CliError(`${file} is neither JSON nor NDJSON: line ${i + 1} does not parse (${error instanceof Error ? error.message : String(error)}).`, 2);
      }
    });
  }
};

/** A `.sluice` bundle's header line: not a unit, so it is skipped. */
const isBundleHeader = (doc: unknown): boolean => typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === BUNDLE_FORMAT;

export const unitsOf = (documents: readonly unknown[], options: { stream?: string; partition?: string }): Unit[] =>
  documents.filter((doc) => !isBundleHeader(doc)).flatMap((doc) => {
    const list = Array.isArray(doc) && doc.every((d) => ExportedUnit.safeParse(d).success) ? doc : [doc];
    return list.map((item) => {
      const exported = ExportedUnit.safeParse(item);
      if (exported.success && !options.stream) {
        const u = exported.data;
        return { stream: u.stream, partition: u.partition ?? u.parentKey ?? u.parent_key ?? null, payload: u.payload };
      }
      if (!options.stream) throw new CliError('The file holds a bare payload: say which stream it is from with --stream (e.g. --stream issues).', 2);
      return { stream: options.stream, partition: options.partition ?? null, payload: item };
    });
  });

export const register: RegisterCommand = (program) => {
  const providers = Object.keys(connectorPlans).filter((p) => !p.startsWith('synthetic'));
  program
    .command('transform')
    .description('run the real transform on a raw payload file and print the unified rows as NDJSON (writes nothing)')
    .addOption(new Option('--provider <name>', 'connector of the payload').choices(providers).makeOptionMandatory())
    .addOption(new Option('--file <path>', 'raw payload: an exported unit (JSON/NDJSON) or a bare API answer').makeOptionMandatory())
    .addOption(new Option('--stream <name>', 'stream of a bare payload (e.g. issues, pull_requests)'))
    .addOption(new Option('--partition <value>', 'partition of a bare payload (e.g. the project key of an issues page)'))
    .addOption(new Option('--integration <id>', "use this integration's current mappings (needs DATABASE_URL or the local stack)").argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new CliError(`--integration must be an integration id, got "${v}".`, 2);
      return n;
    }))
    .action(async (opts: { provider: string; file: string; stream?: string; partition?: string; integration?: number }) => {
      let text: string;
      try {
        text = readFileSync(opts.file, 'utf8');
      } catch (error) {
        throw new CliError(`Cannot read ${opts.file}: ${error instanceof Error ? error.message : String(error)}.`, 2);
      }
      const units = unitsOf(parseDocuments(text, opts.file), { ...(opts.stream ? { stream: opts.stream } : {}), ...(opts.partition ? { partition: opts.partition } : {}) });
      const known = new Set(planStreams(connectorPlans[opts.provider]!).map((s) => s.name));
      const unknown = [...new Set(units.map((u) => u.stream))].filter((s) => !known.has(s));
      if (unknown.length > 0) throw new CliError(`The ${opts.provider} connector has no stream ${unknown.join(', ')}; its streams are ${[...known].join(', ')}.`, 2);
      let mappingsFrom: { databaseUrl: string; integrationId: number } | null = null;
      if (opts.integration !== undefined) {
        const config = await withLocalStack(loadConfig());
        if (!config.databaseUrl) throw new CliError('--integration reads mappings from Postgres: set DATABASE_URL or start the local stack (`sluice stack up`).', 2);
        mappingsFrom = { databaseUrl: config.databaseUrl, integrationId: opts.integration };
      }
      const runner = createTaskRunner(builtTaskEntry(import.meta.url));
      let result;
      try {
        result = await runner.run('transform.preview', { connector: opts.provider, units, mappingsFrom }, { timeoutMs: 120_000 });
      } catch (error) {
        throw new CliError(error instanceof ApiError ? error.message : `The transform could not run: ${error instanceof Error ? error.message : String(error)}`);
      }
      const counts = new Map<string, number>();
      const out: string[] = [];
      result.units.forEach((unit, i) => {
        if (unit.error) process.stderr.write(`unit ${i + 1} (${units[i]!.stream}): ${unit.error}\n`);
        for (const [table, rows] of Object.entries(unit.tables)) {
          counts.set(table, (counts.get(table) ?? 0) + rows.length);
          for (const row of rows) out.push(JSON.stringify({ table, row }));
        }
      });
      if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
      const failed = result.units.filter((u) => u.error).length;
      const summary = [...counts].map(([t, n]) => `${n} ${t}`).join(', ') || 'no rows';
      process.stderr.write(
        `${units.length} unit(s) → ${summary}; ${result.mappingsUsed ? `mappings of integration ${opts.integration}` : 'no mappings (pass --integration N to use a tenant\'s): nothing mapped, every type and status flagged'}${failed ? `; ${failed} unit(s) failed` : ''}.\n`,
      );
      if (failed > 0) throw new CliError(`${failed} of ${units.length} unit(s) could not be transformed (see above); the raw payload is unchanged.`);
    });
};
