/**
 * GitHub's rate-limit bookkeeping: one window per resource (core and graphql 5000/hour, search 30/minute),
 * reported in the five `x-ratelimit-*` headers on every response, as api.github.com does.
 */
import type { FastifyReply } from 'fastify';

export type Resource = 'core' | 'search' | 'graphql';

export interface RateLimits {
  core: number;
  search: number;
  graphql: number;
}

export const DEFAULT_LIMITS: RateLimits = { core: 5000, search: 30, graphql: 5000 };
export const DEFAULT_WINDOWS_MS: Record<Resource, number> = { core: 3_600_000, search: 60_000, graphql: 3_600_000 };

interface Window {
  used: number;
  resetAt: number;
}

export class RateBook {
  private readonly windows = new Map<Resource, Window>();

  /** `windowsMs` shortens the windows for tests (a rate-limited run then resets in seconds, not an hour). */
  constructor(
    readonly limits: RateLimits = DEFAULT_LIMITS,
    private readonly windowsMs: Record<Resource, number> = DEFAULT_WINDOWS_MS,
  ) {}

  window(resource: Resource, now = Date.now()): Window {
    let w = this.windows.get(resource);
    if (!w || now >= w.resetAt) {
      w = { used: 0, resetAt: now + this.windowsMs[resource] };
      this.windows.set(resource, w);
    }
    return w;
  }

  /** Spends `cost` points; returns false when the window is already exhausted. */
  spend(resource: Resource, cost = 1): boolean {
    const w = this.window(resource);
    if (w.used >= this.limits[resource]) return false;
    w.used += cost;
    return true;
  }

  remaining(resource: Resource): number {
    return Math.max(0, this.limits[resource] - this.window(resource).used);
  }

  resetSeconds(resource: Resource): number {
    return Math.ceil(this.window(resource).resetAt / 1000);
  }

  /** Writes the headers; `remainingOverride` is the fault budget when one is set. */
  headers(reply: FastifyReply, resource: Resource, remainingOverride: number | null): void {
    const w = this.window(resource);
    const remaining = remainingOverride ?? this.remaining(resource);
    // Headers a rate-limit answer already set (remaining 0, a later reset) win over the bookkeeping.
    const set = (name: string, value: number | string) => {
      if (!reply.hasHeader(name)) reply.header(name, String(value));
    };
    set('x-ratelimit-limit', this.limits[resource]);
    set('x-ratelimit-remaining', Math.max(0, remaining));
    set('x-ratelimit-used', w.used);
    set('x-ratelimit-reset', Math.ceil(w.resetAt / 1000));
    set('x-ratelimit-resource', resource);
  }

  overview(): Record<string, unknown> {
    const entry = (r: Resource) => ({ limit: this.limits[r], used: this.window(r).used, remaining: this.remaining(r), reset: this.resetSeconds(r) });
    return { resources: { core: entry('core'), search: entry('search'), graphql: entry('graphql') }, rate: entry('core') };
  }
}

export function resourceOf(url: string): Resource {
  if (url.startsWith('/graphql')) return 'graphql';
  if (url.startsWith('/search/')) return 'search';
  return 'core';
}
