import { z } from 'zod';

import { defineEvent, defineMethod } from './define';
import { RawFilter, RawSource, RawStatus, RawUnitSummary, RecordLocator } from './raw';

/**
 * Raw bundles (`.sluice` files, issue 11): what "Export" in the raw inspector writes, and what the
 * inspector opens in bundle mode, on the desktop (double-click, argv, "Open bundle…") or in the
 * browser (upload to `sluice serve`).
 *
 * The file is plain NDJSON in UTF-8, not gzip: line 1 is the header (BundleHeader), every other
 * line one raw unit (BundleLine), the same unit line `sluice transform --file` reads. Plain text on
 * purpose: it streams line by line with line numbers in every error, it is greppable and diffable,
 * the browser writes it chunk by chunk without a compressor, and the size caps below are what it
 * costs in memory once open. Compress it for transport if you like; Sluice opens it uncompressed.
 */

export const BUNDLE_FORMAT = 'sluice-raw-bundle';
export const BUNDLE_VERSION = 1;
export const BUNDLE_EXTENSION = '.sluice';
export const BUNDLE_MIME = 'application/x-sluice-bundle';

/** A bundle file the desktop opens from disk: bigger ones are refused before a byte is read. */
export const MAX_BUNDLE_FILE_BYTES = 256 * 1024 * 1024;
/** A bundle uploaded to `sluice serve` (a browser sends it whole in one request). */
export const MAX_BUNDLE_UPLOAD_BYTES = 64 * 1024 * 1024;
/** Bad lines reported per bundle (the count goes on; the rest of the file still opens). */
export const MAX_BUNDLE_PROBLEMS = 100;

/** `POST` the file as the body (application/octet-stream), its name in BUNDLE_NAME_HEADER. */
export const BUNDLE_UPLOAD_PATH = '/api/v1/bundles';
export const BUNDLE_NAME_HEADER = 'x-sluice-file-name';

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A bundle's file name as shown and as uploaded: one path segment ending in `.sluice`. */
export const BundleFileName = z
  .string()
  .min(BUNDLE_EXTENSION.length + 1)
  .max(255)
  .refine((n) => !/[/\\\0]/.test(n) && n !== '.' && n !== '..', 'must be a file name, not a path')
  .refine((n) => n.toLowerCase().endsWith(BUNDLE_EXTENSION), `must end in ${BUNDLE_EXTENSION}`);

/** Line 1 of a bundle. */
export const BundleHeader = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    tenantId: Id,
    /** The integration the export was filtered to, or null when it spans several. */
    integration: z.object({ id: Id, name: z.string().nullable(), connector: z.string().nullable() }).nullable(),
    /** The inspector filter the units were exported with. */
    filter: RawFilter,
    exportedAt: z.iso.datetime({ offset: true }),
    /** Where the export read from: Postgres, or this machine's raw cache when offline. */
    source: RawSource,
  })
  .strict();
export type BundleHeader = z.infer<typeof BundleHeader>;

/** Every other line: one raw unit with its metadata and payload (see main/engine/raw/export.ts). */
export const BundleLine = z.object({
  rawId: Id,
  integrationId: Id,
  runId: Id,
  step: z.string().min(1).max(200),
  stream: z.string().min(1).max(200),
  partition: z.string().max(500).nullable(),
  parentKey: z.string().max(500).nullable(),
  status: RawStatus,
  recordCount: z.number().int().min(0),
  requestUrl: z.string().max(8192),
  createdAt: z.string().min(1).max(64),
  payload: z.unknown().refine((p) => p !== undefined, 'is missing'),
});
export type BundleLine = z.infer<typeof BundleLine>;

export const BundleProblem = z.object({ line: z.number().int().min(1), message: z.string() });
export type BundleProblem = z.infer<typeof BundleProblem>;

const BundleId = z.uuid();

/** An open bundle, as the console shows it. */
export const BundleInfo = z.object({
  id: BundleId,
  fileName: BundleFileName,
  bytes: z.number().int().min(0),
  units: z.number().int().min(0),
  header: BundleHeader,
  /** Lines that were skipped, with their line number and why (the first MAX_BUNDLE_PROBLEMS). */
  problems: z.array(BundleProblem),
  /** All skipped lines, also past the ones listed. */
  problemCount: z.number().int().min(0),
  /** What the units are: step/stream with how many, for the filter. */
  streams: z.array(z.object({ step: z.string(), stream: z.string(), units: z.number().int().min(0) })),
  openedAt: z.string(),
  /** file: opened on this machine (OS, CLI, dialog); upload: sent by a browser. */
  openedBy: z.enum(['file', 'upload']),
});
export type BundleInfo = z.infer<typeof BundleInfo>;

/** What stays out of reach in bundle mode, with the reason the console shows. */
export const BUNDLE_LIMITS = {
  lineage: 'A bundle is lineage-free: its units are copies from a file, not rows of this database, so no unified row points at them.',
  versions: 'Versions are searched across the units stored in Postgres; a bundle holds only what was exported.',
  reprocess: 'Reprocessing acts on stored units; a bundle is read-only.',
} as const;

export const BundleFilter = z
  .object({
    step: z.string().min(1).max(200).optional(),
    stream: z.string().min(1).max(200).optional(),
    statuses: z.array(RawStatus).min(1).max(5).optional(),
    /** Case-insensitive substring of the payload text. */
    text: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type BundleFilter = z.infer<typeof BundleFilter>;

const ByUnit = z.object({ bundleId: BundleId, id: Id }).strict();

export const bundleMethods = {
  'bundle.list': defineMethod({
    summary: 'The raw bundles open in this engine that the caller may see, and the one the OS or CLI asked to show (claimed once)',
    mutates: false,
    role: 'operator',
    input: z.object({ claim: z.boolean().default(false) }).strict(),
    output: z.object({ bundles: z.array(BundleInfo), reveal: BundleId.nullable() }),
  }),
  'bundle.units': defineMethod({
    summary: 'Units of an open bundle in file order, filtered, paged by offset',
    mutates: false,
    role: 'operator',
    input: BundleFilter.extend({
      bundleId: BundleId,
      cursor: z.string().regex(/^\d{1,9}$/).optional(),
      limit: z.number().int().min(1).max(500).default(200),
    }).strict(),
    output: z.object({ units: z.array(RawUnitSummary), nextCursor: z.string().nullable(), total: z.number().int().min(0) }),
  }),
  'bundle.get': defineMethod({
    summary: 'One unit of an open bundle with its payload as JSON text',
    mutates: false,
    role: 'operator',
    input: ByUnit,
    output: z.object({ unit: RawUnitSummary, payload: z.string(), records: RecordLocator.nullable(), connector: z.string().nullable() }),
  }),
  'bundle.preview': defineMethod({
    summary: 'The real transform on a bundle unit, with the mappings of its integration when this database has them for the selected tenant; writes nothing',
    mutates: false,
    role: 'operator',
    input: ByUnit,
    output: z.object({
      unitId: Id,
      connector: z.string(),
      mappingsUsed: z.boolean(),
      /** Why the preview ran without mappings (offline, another tenant, an unknown integration). */
      mappingsNote: z.string().nullable(),
      tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
      error: z.string().nullable(),
    }),
  }),
  'bundle.pick': defineMethod({
    summary: 'Desktop: choose a .sluice file in the native dialog and open it (null when cancelled); the browser uploads instead',
    mutates: true,
    role: 'operator',
    input: z.strictObject({}),
    output: z.object({ bundle: BundleInfo.nullable() }),
  }),
  'bundle.close': defineMethod({
    summary: 'Close an open bundle and free its memory',
    mutates: true,
    role: 'operator',
    input: z.object({ bundleId: BundleId }).strict(),
    output: z.object({ closed: z.boolean() }),
  }),
};

export const bundleEvents = {
  'bundle.opened': defineEvent({
    summary: 'The OS or the CLI opened a bundle on this machine: call bundle.list with claim to show it',
    payload: z.object({ bundleId: BundleId, at: z.string() }),
  }),
};
