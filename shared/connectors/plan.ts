import { z } from 'zod';

/**
 * What a connector extracts, as data (DESIGN.md section 5): ordered steps, each made of streams. The
 * engine creates a run's steps and streams from it, the console shows it, and the workers' extract
 * handler follows it. Pure data, so every process reads the same plan.
 *
 * A stream is either a **root** (one partition, started when the run starts) or **partitioned** by
 * the pages of its producer streams: a producer page names the partitions it found (a project key,
 * an issue id, a repository), and each partition is then paged on its own. That is the parent/child
 * strategy of the connector frameworks (Airbyte's SubstreamPartitionRouter), counted in Postgres:
 * a stream's extraction is done when its producers are done and every partition it was given reached
 * its last page, so completion never depends on which message happens to come last.
 */

const Name = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);

export const StreamPlan = z.strictObject({
  name: Name,
  label: z.string().min(1).max(80),
  /** Streams whose pages create this stream's partitions; empty for a root stream. */
  partitionsFrom: z.array(Name).default([]),
  /** What one partition is, for the console ("project", "issue", "repository"). */
  partitionLabel: z.string().max(40).optional(),
  /** Incremental runs start from this stream's watermark (sync_state), per partition. */
  incremental: z.boolean().default(false),
});
export type StreamPlan = z.infer<typeof StreamPlan>;

export const StepPlan = z.strictObject({
  key: Name,
  label: z.string().min(1).max(80),
  streams: z.array(StreamPlan).min(1),
});
export type StepPlan = z.infer<typeof StepPlan>;

export const ConnectorPlan = z
  .strictObject({
    provider: Name,
    label: z.string().min(1).max(80),
    steps: z.array(StepPlan).min(1),
    /**
     * Unified tables this connector loads, each with `integration_id` and `raw_id` lineage. A
     * re-transform replays exactly the raw units these rows point at: the latest version of every
     * entity, with no API call.
     */
    lineageTables: z.array(Name).default([]),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    for (const step of plan.steps) {
      for (const stream of step.streams) {
        if (seen.has(stream.name)) ctx.addIssue({ code: 'custom', message: `stream ${stream.name} is declared twice` });
        for (const producer of stream.partitionsFrom) {
          // Producers come earlier (or are the stream itself, which may split its own partitions).
          if (!seen.has(producer) && producer !== stream.name) ctx.addIssue({ code: 'custom', message: `stream ${stream.name} is partitioned by ${producer}, which is not declared before it` });
        }
        seen.add(stream.name);
      }
    }
  });
export type ConnectorPlan = z.infer<typeof ConnectorPlan>;

/** Every stream of a plan with its step, in plan order. */
export const planStreams = (plan: ConnectorPlan): readonly (StreamPlan & { step: string })[] =>
  plan.steps.flatMap((step) => step.streams.map((stream) => ({ ...stream, step: step.key })));

/** Producers other than the stream itself (a stream that splits its own partitions is still a root). */
export const upstreamOf = (stream: StreamPlan): readonly string[] => stream.partitionsFrom.filter((p) => p !== stream.name);

/** Root streams start with one partition when the run starts; the others wait for their producers. */
export const rootStreams = (plan: ConnectorPlan): readonly (StreamPlan & { step: string })[] =>
  planStreams(plan).filter((s) => upstreamOf(s).length === 0);
