import { z } from 'zod';

import { defineMethod } from './define';
import { RunSummary } from './runs';

/**
 * The raw data inspector (DESIGN.md sections 3 and 7, issue 9): every stored API response of the
 * tenant, filtered and keyset-paginated, its payload as text, lineage both ways, versions of one
 * entity across runs with a diff, the transform preview, reprocess and the export as a `.sluice` bundle (shared/contract/bundles.ts).
 *
 * Every read answers from Postgres when it is reachable and from this machine's local SQLite raw
 * cache when it is not: `source` says which, and `offline` says why and what is missing then
 * (OFFLINE_LIMITS), so the console can mark it clearly and disable what needs Postgres.
 */

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Key = z.string().min(1).max(200);
const Time = z.string();
const Cursor = z.string().max(300);

export const RawStatus = z.enum(['pending', 'transformed', 'loaded', 'failed', 'skipped']);
export type RawStatus = z.infer<typeof RawStatus>;

export const RawSource = z.enum(['postgres', 'cache']);
export type RawSource = z.infer<typeof RawSource>;

/** What stays out of reach while Postgres is unreachable, with the reason the console shows. */
export const OFFLINE_LIMITS = {
  errorText: 'The local cache keeps no error details; search errors once Postgres is back.',
  lineage: 'Unified rows live in Postgres; lineage needs it.',
  versions: 'Other versions are searched across every stored unit in Postgres.',
  reprocess: 'Reprocessing starts a run in Postgres.',
  mappings: 'Mappings live in Postgres: the preview runs with none, so every type and status shows as unmapped.',
} as const;
export type OfflineFeature = keyof typeof OFFLINE_LIMITS;

export const OfflineInfo = z.object({
  /** Why Postgres was not used (its error, in words). */
  reason: z.string(),
  cachePath: z.string(),
  cachedUnits: z.number().int().min(0),
  cacheBytes: z.number().int().min(0),
  /** How text filters run on the cache: FTS5 words (prefix on the last one) or a substring scan. */
  search: z.enum(['fts5', 'like']),
});
export type OfflineInfo = z.infer<typeof OfflineInfo>;

export const RawFilter = z
  .object({
    integrationId: Id.optional(),
    runId: Id.optional(),
    step: Key.optional(),
    stream: Key.optional(),
    /** The partition: a project key, an issue id, a repository. */
    parentKey: z.string().min(1).max(500).optional(),
    statuses: z.array(RawStatus).min(1).max(5).optional(),
    /** Stored in [since, until): ISO times with offset. */
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    /** Text in the payload: a case-insensitive substring online, FTS5 words offline. */
    text: z.string().trim().min(1).max(200).optional(),
    /** Text in the unit's error (Postgres only: the cache keeps no errors). */
    errorText: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type RawFilter = z.infer<typeof RawFilter>;

/** The last failure of a unit, as the pipeline recorded it: `{ message, stage, reason, name, ... }`. */
export const RawUnitError = z.looseObject({ message: z.string() });

export const RawUnitSummary = z.object({
  id: Id,
  integrationId: Id,
  runId: Id,
  step: z.string(),
  stream: z.string(),
  parentKey: z.string().nullable(),
  requestUrl: z.string(),
  status: RawStatus,
  recordCount: z.number().int().min(0),
  payloadBytes: z.number().int().min(0),
  /** Not known offline (the cache does not keep them). */
  attempts: z.number().int().min(0).nullable(),
  reprocessCount: z.number().int().min(0).nullable(),
  error: RawUnitError.nullable(),
  /** A re-transform copy: the unit whose payload it replays (its rows point at that one). */
  replayOf: Id.nullable(),
  createdAt: Time,
});
export type RawUnitSummary = z.infer<typeof RawUnitSummary>;

/**
 * Where the records of a payload are and what names one of them (connector metadata): `path` leads
 * to an array of records (or to the one record when `single`); `key` is the field holding the natural
 * key (null: a single-record unit is identified by its stream and partition); `label` a field to show.
 */
export const RecordLocator = z.object({
  path: z.array(z.string()),
  single: z.boolean(),
  key: z.string().nullable(),
  label: z.string().nullable(),
  /** What one record is, for the console ("issue", "pull request"). */
  noun: z.string(),
});
export type RecordLocator = z.infer<typeof RecordLocator>;

const Answer = { source: RawSource, offline: OfflineInfo.nullable() };

const ById = z.object({ id: Id }).strict();

export const RawPage = z.object({
  units: z.array(RawUnitSummary),
  nextCursor: Cursor.nullable(),
  /** Units matching the filters (without `text`), counted up to TOTAL_CAP; null when not asked or not countable. */
  total: z.number().int().min(0).nullable(),
  /** True when `total` stopped at the cap: there are more. */
  totalCapped: z.boolean(),
  /** Text search: how many units this page looked into (the search goes on from `nextCursor`). */
  scanned: z.number().int().min(0).nullable(),
  ...Answer,
});
export type RawPage = z.infer<typeof RawPage>;

export const TOTAL_CAP = 1_000_000;

/** A unified row, as stored (column → value). */
const Row = z.record(z.string(), z.unknown());

export const LineageTable = z.object({ table: z.string(), count: z.number().int().min(0), rows: z.array(Row) });

export const DiffChange = z.object({
  kind: z.enum(['added', 'removed', 'changed']),
  /** JSON path of the value inside the record, e.g. `$.fields.status.name`. */
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type DiffChange = z.infer<typeof DiffChange>;

const Version = z.object({ unit: RawUnitSummary, record: z.unknown() });

export const rawMethods = {
  'raw.list': defineMethod({
    summary: 'Raw units of the tenant, newest first, with filters and a keyset cursor (Postgres, or the local cache offline)',
    mutates: false,
    input: RawFilter.extend({
      cursor: Cursor.optional(),
      limit: z.number().int().min(1).max(500).default(100),
      /** Count the matching units too (for a scrollbar over the whole result). */
      withTotal: z.boolean().default(false),
    }).strict(),
    output: RawPage,
  }),
  'raw.facets': defineMethod({
    summary: 'What the filters can pick: integrations, recent runs, steps and streams, and the lineage tables with their columns',
    mutates: false,
    input: z.object({ integrationId: Id.optional() }).strict(),
    output: z.object({
      integrations: z.array(z.object({ id: Id, name: z.string().nullable(), connector: z.string().nullable() })),
      runs: z.array(z.object({ id: Id, integrationId: Id, kind: z.string().nullable(), state: z.string().nullable(), createdAt: Time.nullable(), failed: z.number().int().min(0).nullable() })),
      streams: z.array(z.object({ integrationId: Id.nullable(), step: z.string(), stream: z.string() })),
      tables: z.array(z.object({ table: z.string(), columns: z.array(z.string()) })),
      ...Answer,
    }),
  }),
  'raw.get': defineMethod({
    summary: 'One raw unit with its payload as JSON text (a re-transform copy shows the payload it replays)',
    mutates: false,
    // Raw payloads are what the operator inspects (issue 11); viewers see runs and unified data.
    role: 'operator',
    input: ById,
    output: z.object({
      unit: RawUnitSummary,
      /** The payload as stored, JSON text (Postgres prints jsonb with its own key order). */
      payload: z.string(),
      /** The unit the payload belongs to: the unit itself, or the original of a re-transform copy. */
      payloadOf: Id,
      records: RecordLocator.nullable(),
      ...Answer,
    }),
  }),
  'raw.lineage': defineMethod({
    summary: 'The unified rows a raw unit produced (rows whose raw_id points at it), per lineage table of its connector',
    mutates: false,
    input: ById.extend({ limit: z.number().int().min(1).max(200).default(20) }).strict(),
    output: z.object({ unitId: Id, rawId: Id, tables: z.array(LineageTable) }),
  }),
  'raw.origin': defineMethod({
    summary: 'Unified row → its raw unit: rows of a lineage table whose column equals a value, each with the unit it came from',
    mutates: false,
    input: z.object({ table: Key, column: Key, value: z.string().min(1).max(500) }).strict(),
    output: z.object({ matches: z.array(z.object({ row: Row, unit: RawUnitSummary.nullable() })), truncated: z.boolean() }),
  }),
  'raw.versions': defineMethod({
    summary: 'Other stored versions of one entity: units of the same integration and stream that hold a record with the same natural key',
    mutates: false,
    role: 'operator',
    input: z.object({ id: Id, key: z.unknown().optional(), limit: z.number().int().min(1).max(100).default(50) }).strict(),
    output: z.object({ versions: z.array(Version), noun: z.string() }),
  }),
  'raw.diff': defineMethod({
    summary: 'JSON diff of one entity between two units (before → after)',
    mutates: false,
    role: 'operator',
    input: z.object({ beforeId: Id, afterId: Id, key: z.unknown().optional() }).strict(),
    output: z.object({ before: Version, after: Version, changes: z.array(DiffChange) }),
  }),
  'raw.preview': defineMethod({
    summary: 'The real transform on a unit’s payload with the integration’s current mappings: the unified rows it would produce, writing nothing',
    mutates: false,
    role: 'operator',
    input: ById,
    output: z.object({
      unitId: Id,
      connector: z.string(),
      mappingsUsed: z.boolean(),
      tables: z.record(z.string(), z.array(Row)),
      /** The transform refused the payload: why (nothing would be loaded). */
      error: z.string().nullable(),
      ...Answer,
    }),
  }),
  'raw.reprocess': defineMethod({
    summary: 'Reprocess selected units of one finished run: back to pending (explicit reprocess) in a new rerun_failed run that transforms them again',
    mutates: true,
    // Reprocessing is the operator's job (issue 11).
    role: 'operator',
    input: z.object({ ids: z.array(Id).min(1).max(1000) }).strict(),
    output: z.object({ run: RunSummary, sourceRunId: Id, units: z.number().int().min(0), pages: z.number().int().min(0), message: z.string() }),
  }),
  'raw.runUnits': defineMethod({
    summary: 'A run with the current status counts of its units (live, also after units moved to a reprocess run) and the runs that reprocessed it',
    mutates: false,
    input: ById,
    output: z.object({
      run: RunSummary,
      counts: z.record(RawStatus, z.number().int().min(0)),
      reprocessedBy: z.array(RunSummary),
    }),
  }),
  'raw.export': defineMethod({
    summary: 'One chunk of the filtered units as a .sluice bundle (NDJSON; the first chunk starts with the header line; what `sluice transform --file` reads); call again with nextCursor until it is null',
    mutates: false,
    role: 'operator',
    input: RawFilter.extend({ cursor: Cursor.optional(), maxBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(4 * 1024 * 1024) }).strict(),
    output: z.object({ content: z.string(), lines: z.number().int().min(0), nextCursor: Cursor.nullable(), filename: z.string(), ...Answer }),
  }),
};
