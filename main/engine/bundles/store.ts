import { randomUUID } from 'node:crypto';

import type { BundleFilter, BundleInfo } from '../../../shared/contract/bundles';
import { ApiError } from '../../../shared/contract/errors';
import type { BundleUnit, ParsedBundle } from './parse';

/**
 * The bundles open in this process, in memory (a bundle is a read-only file: nothing to store).
 * Kept apart from the engine so a profile switch, which replaces the engine, keeps them open.
 * Bounded: at most MAX_OPEN bundles and MAX_TOTAL_BYTES of them; opening one more closes the oldest.
 *
 * Who sees what: a bundle opened on this machine (OS, CLI, the desktop dialog) has no owner and is
 * every operator's; an upload to `sluice serve` belongs to the user who sent it.
 */

export const MAX_OPEN = 4;
export const MAX_TOTAL_BYTES = 512 * 1024 * 1024;

export interface OpenBundle {
  readonly info: BundleInfo;
  readonly units: readonly BundleUnit[];
  readonly byId: ReadonlyMap<number, BundleUnit>;
  readonly owner: string | null;
}

export interface AddOptions {
  readonly fileName: string;
  readonly openedBy: BundleInfo['openedBy'];
  /** null: this machine's (every operator sees it); else the principal who uploaded it. */
  readonly owner: string | null;
  /** Ask the consoles to show it (OS double-click, `sluice open`). */
  readonly reveal: boolean;
}

export class BundleStore {
  private readonly open = new Map<string, OpenBundle>();
  private reveal: string | null = null;
  private readonly listeners = new Set<(bundleId: string) => void>();
  /** The last text filter of each bundle and its matches: paging through a search scans once. */
  private readonly matches = new Map<string, { key: string; indexes: number[] }>();

  constructor(private readonly limits: { maxOpen: number; maxTotalBytes: number } = { maxOpen: MAX_OPEN, maxTotalBytes: MAX_TOTAL_BYTES }) {}

  add(parsed: ParsedBundle, options: AddOptions): BundleInfo {
    const streams = new Map<string, { step: string; stream: string; units: number }>();
    for (const u of parsed.units) {
      const key = `${u.summary.step}\u0000${u.summary.stream}`;
      const s = streams.get(key) ?? { step: u.summary.step, stream: u.summary.stream, units: 0 };
      s.units += 1;
      streams.set(key, s);
    }
    const info: BundleInfo = {
      id: randomUUID(),
      fileName: options.fileName,
      bytes: parsed.bytes,
      units: parsed.units.length,
      header: parsed.header,
      problems: parsed.problems,
      problemCount: parsed.problemCount,
      streams: [...streams.values()],
      openedAt: new Date().toISOString(),
      openedBy: options.openedBy,
    };
    // Oldest first out, until this one fits.
    for (const id of this.open.keys()) {
      if (this.open.size < this.limits.maxOpen && this.totalBytes() + info.bytes <= this.limits.maxTotalBytes) break;
      this.drop(id);
    }
    this.open.set(info.id, { info, units: parsed.units, byId: new Map(parsed.units.map((u) => [u.summary.id, u])), owner: options.owner });
    if (options.reveal) {
      this.reveal = info.id;
      for (const listener of this.listeners) listener(info.id);
    }
    return info;
  }

  /** Told when a bundle asks to be shown (the engine turns it into a `bundle.opened` event). */
  onReveal(listener: (bundleId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  visibleTo(principal: string): OpenBundle[] {
    return [...this.open.values()].filter((b) => b.owner === null || b.owner === principal);
  }

  /** The bundle, if the caller may see it; not found otherwise (an id of another user's is not confirmed). */
  find(id: string, principal: string): OpenBundle {
    const b = this.open.get(id);
    if (!b || (b.owner !== null && b.owner !== principal)) throw new ApiError('not_found', 'That bundle is not open (any more): open the .sluice file again.');
    return b;
  }

  /** The bundle the OS or CLI asked to show, once; null when none is waiting. */
  claimReveal(principal: string, claim: boolean): string | null {
    const id = this.reveal;
    if (id === null || !this.open.has(id) || !this.visibleTo(principal).some((b) => b.info.id === id)) return null;
    if (claim) this.reveal = null;
    return id;
  }

  close(id: string, principal: string): boolean {
    const b = this.open.get(id);
    if (!b || (b.owner !== null && b.owner !== principal)) return false;
    this.drop(id);
    return true;
  }

  /** Indexes (in file order) of the units matching `filter`. */
  select(bundle: OpenBundle, filter: BundleFilter): number[] {
    const key = JSON.stringify(filter);
    const cached = this.matches.get(bundle.info.id);
    if (cached?.key === key) return cached.indexes;
    const needle = filter.text?.toLowerCase();
    const indexes: number[] = [];
    bundle.units.forEach((u, i) => {
      const s = u.summary;
      if (filter.step !== undefined && s.step !== filter.step) return;
      if (filter.stream !== undefined && s.stream !== filter.stream) return;
      if (filter.statuses !== undefined && !filter.statuses.includes(s.status)) return;
      if (needle !== undefined && !u.payload.toLowerCase().includes(needle)) return;
      indexes.push(i);
    });
    this.matches.set(bundle.info.id, { key, indexes });
    return indexes;
  }

  private totalBytes(): number {
    let sum = 0;
    for (const b of this.open.values()) sum += b.info.bytes;
    return sum;
  }

  private drop(id: string): void {
    this.open.delete(id);
    this.matches.delete(id);
    if (this.reveal === id) this.reveal = null;
  }
}
