import { z } from 'zod';

import { Stage } from '../worker-protocol/protocol';
import { defineMethod } from './define';

/**
 * What the run detail screen adds to `runs.get` (issue 9): a throughput series over time and the
 * run's failures grouped by cause, each group linking to its failed raw units. Both are derived in
 * SQL from the raw units the run already has (their created/updated times, status and error):
 * nothing is written per record to produce them.
 */

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Count = z.number().int().min(0);

export const ThroughputPoint = z.object({
  /** Start of the bucket (ISO). */
  at: z.string(),
  /** Records in pages stored during the bucket. */
  extracted: Count,
  /** Records of units whose load committed during the bucket. */
  loaded: Count,
  /** Units that failed during the bucket. */
  failed: Count,
});
export type ThroughputPoint = z.infer<typeof ThroughputPoint>;

export const RunThroughput = z.object({
  runId: Id,
  /** Bucket width; grows with the run so a long run stays a few hundred points at most. */
  bucketSeconds: z.number().int().positive(),
  points: z.array(ThroughputPoint),
  /** True when the run's units are gone (raw retention), so the series is empty although the run did work. */
  unitsGone: z.boolean(),
});
export type RunThroughput = z.infer<typeof RunThroughput>;

export const ErrorGroup = z.object({
  /** Stable within one answer: stage + reason + error name + the message with numbers masked. */
  key: z.string(),
  kind: z.enum(['unit', 'partition']),
  stage: z.union([Stage, z.literal('unknown')]),
  reason: z.string().nullable(),
  name: z.string().nullable(),
  /** One message of the group as recorded (numbers not masked). */
  message: z.string(),
  count: Count,
  firstAt: z.string().nullable(),
  lastAt: z.string().nullable(),
  /** Up to 20 failed units of the group (unit groups), for links to the raw data inspector. */
  rawIds: z.array(Id),
  /** Partition groups: the streams and partitions that gave up. */
  partitions: z.array(z.object({ stream: z.string(), partition: z.string() })),
});
export type ErrorGroup = z.infer<typeof ErrorGroup>;

export const runInsightsMethods = {
  'runs.throughput': defineMethod({
    summary: 'Records extracted and loaded (and units failed) per time bucket over a run, from its raw units',
    mutates: false,
    input: z.object({ id: Id, buckets: z.number().int().min(10).max(1000).default(240) }).strict(),
    output: RunThroughput,
  }),
  'runs.errors': defineMethod({
    summary: 'The failures of a run grouped by cause (stage, reason, error), with links to the failed raw units',
    mutates: false,
    input: z.object({ id: Id }).strict(),
    output: z.object({ runId: Id, failedUnits: Count, failedPartitions: Count, groups: z.array(ErrorGroup) }),
  }),
};
