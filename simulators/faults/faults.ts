/**
 * Fault switches shared by both simulators. They are set when a simulator starts and changed at run time
 * through `POST /__control/faults` (merge), `PUT` (replace) or `DELETE` (clear), or the in-process
 * `control` object. Each switch exists to drive one behaviour the connectors must survive.
 */
import { z } from 'zod';

export const ERROR_KINDS = [
  '429-retry-after', // 429 with Retry-After: N (Jira burst limit)
  '429-reset-only', // 429 with only X-RateLimit-Reset (Jira: ISO time; GitHub: epoch seconds)
  '429-bare', // 429 with neither header: the client must back off exponentially with jitter
  '503', // 503 Service Unavailable with Retry-After: N
  'github-primary', // 403 (or status: 429) with x-ratelimit-remaining: 0
  'github-secondary', // 403 (or 429) "secondary rate limit", Retry-After only if retryAfterSeconds is set
  'graphql-rate-limited', // HTTP 200 with errors[0].type = RATE_LIMITED (GitHub GraphQL only)
  'forbidden', // 403 with no rate-limit sign: a permission error the client must not retry
] as const;

export const ErrorFaultSchema = z.strictObject({
  kind: z.enum(ERROR_KINDS),
  /** Answer this many matching requests with the error, then stop. */
  times: z.number().int().min(1).default(1),
  /** Let this many matching requests through first. */
  after: z.number().int().min(0).default(0),
  /** Only requests whose path contains this text match (default: every API request). */
  path: z.string().optional(),
  status: z.union([z.literal(403), z.literal(429)]).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
});
export type ErrorFault = z.infer<typeof ErrorFaultSchema>;

export const FaultsSchema = z.strictObject({
  /** Forces every paginated response to this many items (a short page on Jira search, small GitHub pages). */
  pageSize: z.number().int().min(1).max(5000).nullable().optional(),
  /** Delay before every API response. */
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  errors: z.array(ErrorFaultSchema).optional(),
  /** Requests left before the simulator answers as rate-limited (counts down; null: unlimited). */
  budget: z.number().int().min(0).nullable().optional(),
  /** Jira: X-RateLimit-NearLimit: true on successful responses. */
  nearLimit: z.boolean().optional(),
  /** After serving a page that has a next page, update this many records (issues or PRs). */
  updateBetweenPages: z.number().int().min(0).optional(),
  /** Serve one malformed record on this page (1-based) of the list endpoints whose path contains `path`. */
  poison: z.strictObject({ page: z.number().int().min(1), path: z.string().optional() }).nullable().optional(),
  /** Pagination links (Jira nextPage, GitHub Link) use an alternative path shape that serves the same data. */
  alternateLinks: z.boolean().optional(),
  /**
   * GitHub: repositories renamed since the client learnt their names, old full name → current full
   * name. Requests under the old name answer 301 to `/repositories/{id}/…`, as GitHub does.
   */
  renamedRepositories: z.record(z.string().regex(/^[^/]+\/[^/]+$/), z.string().regex(/^[^/]+\/[^/]+$/)).optional(),
  /** When false, requests without credentials are served (real Jira allows anonymous reads on some sites). */
  strictAuth: z.boolean().optional(),
});
export type Faults = z.infer<typeof FaultsSchema>;
export type FaultsInput = z.input<typeof FaultsSchema>;

/** Parses fault settings, throwing one sentence that names the bad switch. */
export function parseFaults(input: unknown): Faults {
  const parsed = FaultsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`Invalid fault settings at "${i?.path.join('.') || '(root)'}": ${i?.message}. See simulators/README.md for the switches.`);
  }
  return parsed.data;
}

interface LiveError extends ErrorFault {
  seen: number;
  fired: number;
}

/** The live fault state of one simulator. */
export class FaultState {
  private current: Faults = {};
  private errors: LiveError[] = [];
  private budgetUsed = 0;

  constructor(initial?: FaultsInput) {
    this.replace(initial ?? {});
  }

  get(): Faults {
    return { ...this.current, errors: this.errors.filter((e) => e.fired < e.times).map(({ seen: _s, fired: _f, ...e }) => e) };
  }

  replace(input: unknown): Faults {
    this.current = parseFaults(input);
    this.errors = (this.current.errors ?? []).map((e) => ({ ...e, seen: 0, fired: 0 }));
    this.budgetUsed = 0;
    return this.get();
  }

  /** Merges: given switches replace the current ones, given errors are appended. */
  merge(input: unknown): Faults {
    const next = parseFaults(input);
    const { errors, ...rest } = next;
    this.current = { ...this.current, ...rest };
    if ('budget' in next) this.budgetUsed = 0;
    for (const e of errors ?? []) this.errors.push({ ...e, seen: 0, fired: 0 });
    return this.get();
  }

  clear(): void {
    this.replace({});
  }

  get pageSize(): number | null {
    return this.current.pageSize ?? null;
  }
  get latencyMs(): number {
    return this.current.latencyMs ?? 0;
  }
  get nearLimit(): boolean {
    return this.current.nearLimit === true;
  }
  get updateBetweenPages(): number {
    return this.current.updateBetweenPages ?? 0;
  }
  get alternateLinks(): boolean {
    return this.current.alternateLinks === true;
  }
  get strictAuth(): boolean {
    return this.current.strictAuth !== false;
  }

  /** The error to answer this request with, if any; consumes one use of it. */
  takeError(path: string, kinds?: readonly ErrorFault['kind'][]): ErrorFault | null {
    for (const e of this.errors) {
      if (e.fired >= e.times) continue;
      if (e.path && !path.includes(e.path)) continue;
      if (kinds && !kinds.includes(e.kind)) continue;
      e.seen += 1;
      if (e.seen <= e.after) continue;
      e.fired += 1;
      return e;
    }
    return null;
  }

  /** Counts one request against the budget; returns the remaining budget, or null when unlimited. */
  spendBudget(): number | null {
    const b = this.current.budget;
    if (b === null || b === undefined) return null;
    this.budgetUsed += 1;
    return b - this.budgetUsed;
  }

  remainingBudget(): number | null {
    const b = this.current.budget;
    return b === null || b === undefined ? null : Math.max(0, b - this.budgetUsed);
  }

  isPoisoned(path: string, page: number): boolean {
    const p = this.current.poison;
    return !!p && p.page === page && (!p.path || path.includes(p.path));
  }
}
