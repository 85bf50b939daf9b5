import { connectorPlans, planStreams } from '../../../shared/connectors';
import { ApiError } from '../../../shared/contract/errors';
import type { MethodOutput, MethodParsedInput } from '../../../shared/contract/api';
import { OFFLINE_LIMITS, type OfflineInfo, type RawFilter, type RawUnitSummary } from '../../../shared/contract/raw';
import type { CachedUnit } from '../../../shared/worker-protocol/tasks';
import type { TaskRunner } from '../tasks';
import { exportFilename, exportLine } from './export';
import { recordLocator } from './records';

/**
 * The inspector on the local SQLite raw cache, for when Postgres is unreachable (DESIGN.md section 3:
 * "browsed, searched, diffed and re-transformed offline"). The cache is worker code, so it is read
 * through `raw.cache.*` tasks, read-only. It holds what this machine extracted or opened, with the
 * statuses its own workers last saw, and no errors, integrations or unified rows: OFFLINE_LIMITS says
 * what that leaves out, and every answer carries `offline` so the console can say so.
 */

const TASK_MS = 30_000;

export interface OfflineDeps {
  readonly tasks: TaskRunner;
  readonly cachePath: string;
}

const toSummary = (u: CachedUnit): RawUnitSummary => ({
  id: u.rawId,
  integrationId: u.integrationId,
  runId: u.runId,
  step: u.step,
  stream: u.stream,
  parentKey: u.parentKey,
  requestUrl: u.requestUrl,
  status: u.status,
  recordCount: u.recordCount,
  payloadBytes: u.payloadBytes,
  attempts: null,
  reprocessCount: null,
  error: null,
  replayOf: null,
  createdAt: u.fetchedAt,
});

/** "Postgres is unreachable …" plus what the cache cannot do; the message of every refused call. */
export const offlineRefusal = (reason: string, feature: keyof typeof OFFLINE_LIMITS): ApiError => new ApiError('unavailable', `${reason} ${OFFLINE_LIMITS[feature]}`);

const cacheFilter = (tenantId: number, f: RawFilter) => {
  if (f.errorText !== undefined) throw new ApiError('bad_request', `Offline: ${OFFLINE_LIMITS.errorText}`, [{ path: 'errorText', message: 'needs Postgres' }]);
  return {
    tenantId,
    ...(f.integrationId !== undefined ? { integrationId: f.integrationId } : {}),
    ...(f.runId !== undefined ? { runId: f.runId } : {}),
    ...(f.step !== undefined ? { step: f.step } : {}),
    ...(f.stream !== undefined ? { stream: f.stream } : {}),
    ...(f.parentKey !== undefined ? { parentKey: f.parentKey } : {}),
    ...(f.statuses !== undefined ? { statuses: f.statuses } : {}),
    ...(f.since !== undefined ? { fetchedFrom: f.since } : {}),
    ...(f.until !== undefined ? { fetchedBefore: f.until } : {}),
    ...(f.text !== undefined ? { text: f.text } : {}),
  };
};

/** The connector of a cached unit, from its step and stream (the cache does not know integrations). */
export const connectorOfStream = (step: string, stream: string): string | null =>
  Object.entries(connectorPlans).find(([, plan]) => planStreams(plan).some((s) => s.step === step && s.name === stream))?.[0] ?? null;

export const createOffline = ({ tasks, cachePath }: OfflineDeps) => {
  const info = (reason: string, stats: { units: number; bytes: number; search: 'fts5' | 'like' }): OfflineInfo => ({
    reason,
    cachePath,
    cachedUnits: stats.units,
    cacheBytes: stats.bytes,
    search: stats.search,
  });
  // A task that cannot read the cache: say both things, Postgres down and the cache unusable.
  const run = async <T>(reason: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ApiError('unavailable', `${reason} The local raw cache cannot stand in: ${why}`);
    }
  };

  return {
    list: (tenantId: number, reason: string, input: MethodParsedInput<'raw.list'>): Promise<MethodOutput<'raw.list'>> => {
      const filter = cacheFilter(tenantId, input);
      return run(reason, async () => {
        const page = await tasks.run('raw.cache.read', { path: cachePath, filter, limit: input.limit, withTotal: input.withTotal, ...(input.cursor ? { cursor: input.cursor } : {}) }, { timeoutMs: TASK_MS });
        return { units: page.units.map(toSummary), nextCursor: page.nextCursor, total: page.total, totalCapped: false, scanned: null, source: 'cache', offline: info(reason, page.stats) };
      });
    },

    facets: (tenantId: number, reason: string): Promise<MethodOutput<'raw.facets'>> =>
      run(reason, async () => {
        const f = await tasks.run('raw.cache.facets', { path: cachePath, tenantId }, { timeoutMs: TASK_MS });
        const integrations = [...new Set(f.runs.map((r) => r.integrationId))].sort((a, b) => a - b);
        return {
          integrations: integrations.map((id) => ({ id, name: null, connector: null })),
          runs: f.runs.map((r) => ({ id: r.runId, integrationId: r.integrationId, kind: null, state: null, createdAt: r.newest, failed: r.failed })),
          streams: f.streams,
          tables: [],
          source: 'cache',
          offline: info(reason, f.stats),
        };
      }),

    get: async (tenantId: number, reason: string, id: number): Promise<MethodOutput<'raw.get'>> => {
      const got = await run(reason, () => tasks.run('raw.cache.get', { path: cachePath, tenantId, rawId: id }, { timeoutMs: TASK_MS }));
      if (!got.unit?.payload) throw new ApiError('not_found', `${reason} Unit ${id} is not in this machine's raw cache, so it can only be opened once Postgres is back.`);
      const unit = toSummary(got.unit);
      return { unit, payload: got.unit.payload, payloadOf: id, records: recordLocator(connectorOfStream(unit.step, unit.stream), unit.stream), source: 'cache', offline: info(reason, got.stats) };
    },

    /** The transform without mappings (they live in Postgres): everything unmapped and flagged, nothing written. */
    preview: async (tenantId: number, reason: string, id: number): Promise<MethodOutput<'raw.preview'>> => {
      const got = await run(reason, () => tasks.run('raw.cache.get', { path: cachePath, tenantId, rawId: id }, { timeoutMs: TASK_MS }));
      if (!got.unit?.payload) throw new ApiError('not_found', `${reason} Unit ${id} is not in this machine's raw cache, so it cannot be previewed offline.`);
      const connector = connectorOfStream(got.unit.step, got.unit.stream);
      if (!connector) throw new ApiError('bad_request', `No connector here has a ${got.unit.step}/${got.unit.stream} stream, so unit ${id} cannot be transformed.`);
      const base = { unitId: id, connector, source: 'cache' as const, offline: info(reason, got.stats) };
      try {
        const result = await tasks.run('transform.preview', { connector, units: [{ stream: got.unit.stream, partition: got.unit.parentKey, payload: JSON.parse(got.unit.payload) as unknown }], mappingsFrom: null }, { timeoutMs: 60_000 });
        const only = result.units[0]!;
        return { ...base, mappingsUsed: false, tables: only.tables, error: only.error };
      } catch (error) {
        if (error instanceof ApiError && error.code === 'unavailable') return { ...base, mappingsUsed: false, tables: {}, error: error.message };
        throw error;
      }
    },

    exportChunk: (tenantId: number, reason: string, input: MethodParsedInput<'raw.export'>): Promise<MethodOutput<'raw.export'>> => {
      const filter = cacheFilter(tenantId, input);
      return run(reason, async () => {
        const page = await tasks.run('raw.cache.read', { path: cachePath, filter, limit: 50, withPayloads: true, ...(input.cursor ? { cursor: input.cursor } : {}) }, { timeoutMs: 60_000 });
        const out: string[] = [];
        let bytes = 0;
        for (const unit of page.units) {
          const line = exportLine(toSummary(unit), unit.payload ?? 'null');
          if (out.length > 0 && bytes + line.length > input.maxBytes) {
            const previous = page.units[page.units.indexOf(unit) - 1]!;
            return { content: `${out.join('\n')}\n`, lines: out.length, nextCursor: previous.cursor ?? null, filename: exportFilename(tenantId), source: 'cache', offline: info(reason, page.stats) };
          }
          out.push(line);
          bytes += line.length + 1;
        }
        return { content: out.length > 0 ? `${out.join('\n')}\n` : '', lines: out.length, nextCursor: page.nextCursor, filename: exportFilename(tenantId), source: 'cache', offline: info(reason, page.stats) };
      });
    },
  };
};

export type Offline = ReturnType<typeof createOffline>;
