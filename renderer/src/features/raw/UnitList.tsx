import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef } from 'react';

import type { RawUnitSummary } from '../../../../shared/contract/raw';
import { useAppStore } from '../../app/context';

import { formatBytes, formatTime } from './filter-model';
import type { RawListState } from './use-raw-list';
import { withSlots } from './row-slots';

export const ROW_HEIGHT = 30;

/**
 * The units as a virtualized list (@tanstack/react-virtual): only the rows in view (plus overscan)
 * are in the DOM, whatever the total; rows not loaded yet are placeholders, and showing one asks the
 * list to load up to it. Fixed row height: nothing is measured per row.
 *
 * Rows are recycled: a row's React key is its slot (row-slots.ts), not its index, so scrolling
 * re-renders the rows already in the DOM with other units instead of unmounting them and mounting
 * new ones. Measured on the 100k-row benchmark, mounting and unmounting ~30 rows a frame (their
 * fibers, elements, checkbox inputs, then removing them) was most of a fast scroll's frame. While
 * a scroll runs the rows stay in slot order; when it stops they go back to row order for focus.
 */
/** Bundle mode passes its own selection and no ticks (a bundle is read-only: nothing to reprocess). */
export function UnitList({ list, onOpen, selectedId, checkable = true }: { list: RawListState & { want(index: number): void }; onOpen(unit: RawUnitSummary): void; selectedId?: number | null; checkable?: boolean }) {
  const parent = useRef<HTMLDivElement>(null);
  const slots = useRef(0);
  const storeSelected = useAppStore((s) => s.rawSelectedId);
  const selected = selectedId === undefined ? storeSelected : selectedId;
  const checkedIds = useAppStore((s) => s.rawChecked);
  const checked = useMemo(() => new Set(checkedIds), [checkedIds]);
  const toggle = useAppStore((s) => s.toggleRawChecked);
  const { loaded } = list;
  const count = Math.max(loaded + (list.done ? 0 : 1), list.done ? loaded : (list.total ?? 0));
  // The virtualizer returns fresh functions each render, so the compiler leaves this component
  // unmemoized (rows are memoized on their own); a list re-measured on scroll needs no more.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 6 });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? 0;
  const { want } = list;
  // The pool only grows (a taller window): a changing modulus would re-key, and so remount, every row.
  slots.current = Math.max(slots.current, items.length);
  const pool = slots.current;

  useEffect(() => {
    if (last >= loaded - 20) want(last + 40);
  }, [last, loaded, want]);

  return (
    <div className="raw-list" ref={parent} data-testid="raw-list" data-count={count} data-loaded={loaded} tabIndex={0} aria-label="Raw units">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {withSlots(items, pool, virtualizer.isScrolling ? 'slot' : 'row').map(({ item, slot }) => {
          const unit = item.index < loaded ? list.units[item.index] : undefined;
          if (!unit) return <Placeholder key={slot} top={item.start} error={list.error !== null} />;
          return <Row key={slot} unit={unit} top={item.start} selected={selected === unit.id} checked={checkable ? checked.has(unit.id) : null} onOpen={onOpen} onToggle={toggle} />;
        })}
      </div>
    </div>
  );
}

const Placeholder = memo(function Placeholder({ top, error }: { top: number; error: boolean }) {
  return (
    <div className="raw-row placeholder" style={{ transform: `translateY(${top}px)` }} data-testid="raw-row-placeholder">
      {error ? 'Could not load: see above' : 'Loading…'}
    </div>
  );
});

interface RowProps {
  readonly unit: RawUnitSummary;
  readonly top: number;
  readonly selected: boolean;
  /** null: no tick box. */
  readonly checked: boolean | null;
  onOpen(unit: RawUnitSummary): void;
  onToggle(id: number): void;
}

/** One unit; memoized, so a scroll re-renders only the rows whose unit or place changed. */
const Row = memo(function Row({ unit, top, selected, checked, onOpen, onToggle }: RowProps) {
  return (
    <div className={`raw-row${selected ? ' selected' : ''}`} style={{ transform: `translateY(${top}px)` }} data-testid="raw-row" data-id={unit.id} data-status={unit.status} onClick={() => onOpen(unit)}>
      {checked !== null ? <input type="checkbox" aria-label={`Select unit ${unit.id}`} checked={checked} onClick={(e) => e.stopPropagation()} onChange={() => onToggle(unit.id)} data-testid="raw-row-check" /> : null}
      <span className="raw-id">#{unit.id}</span>
      <span className={`raw-status status-${unit.status}`}>{unit.status}</span>
      <span className="raw-stream" title={`${unit.step} / ${unit.stream}`}>
        {unit.parentKey ? `${unit.stream} · ${unit.parentKey}` : unit.stream}
      </span>
      <span className="raw-run">run {unit.runId}</span>
      <span className="raw-num">{unit.recordCount} rec</span>
      <span className="raw-num">{formatBytes(unit.payloadBytes)}</span>
      <span className="raw-time">{formatTime(unit.createdAt)}</span>
      {unit.error ? (
        <span className="raw-error" title={unit.error.message}>
          {unit.error.message}
        </span>
      ) : null}
    </div>
  );
});
