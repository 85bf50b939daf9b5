import { z } from 'zod';

/**
 * The request budget of an integration (a token bucket shared by every extract worker): what the
 * workers enforce (workers/pipeline/extract-limits.ts) and what the engine shows as the live
 * rate-limit budget. Pure, so both read the same numbers.
 */
export interface Budget {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** Budgets per provider when the integration sets none: Jira Cloud ~10 requests/s, GitHub 5000/hour. */
export const PROVIDER_BUDGETS: Readonly<Record<string, Budget>> = {
  jira: { capacity: 10, refillPerSecond: 10 },
  github: { capacity: 20, refillPerSecond: 5_000 / 3_600 },
};
/** Anything else (the synthetic connector, self-hosted APIs): generous, the API's answers still pause us. */
export const FALLBACK_BUDGET: Budget = { capacity: 100, refillPerSecond: 100 };

const IntegrationLimits = z.object({
  rateLimitPerSecond: z.number().positive().max(1_000_000).optional(),
  rateLimitBurst: z.number().int().min(1).max(1_000_000).optional(),
});

/**
 * The integration's bucket: `settings.rateLimitPerSecond` / `settings.rateLimitBurst`, else its API's
 * default; `{ error }` when the settings are invalid.
 */
export const budgetOf = (
  integration: { readonly provider: string; readonly settings: Readonly<Record<string, unknown>> },
  fallback: Budget = FALLBACK_BUDGET,
): Budget | { readonly error: string } => {
  const parsed = IntegrationLimits.safeParse(integration.settings);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  // The API actually called is the connector's (settings.connector overrides the provider).
  const api = typeof integration.settings['connector'] === 'string' ? integration.settings['connector'] : integration.provider;
  const base = Object.hasOwn(PROVIDER_BUDGETS, api) ? PROVIDER_BUDGETS[api]! : fallback;
  const refillPerSecond = parsed.data.rateLimitPerSecond ?? base.refillPerSecond;
  const capacity = parsed.data.rateLimitBurst ?? (parsed.data.rateLimitPerSecond !== undefined ? Math.max(1, Math.ceil(refillPerSecond)) : base.capacity);
  return { capacity, refillPerSecond };
};
