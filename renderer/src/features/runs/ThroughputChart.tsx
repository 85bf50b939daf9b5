import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import type { RunThroughput } from '../../../../shared/contract/run-insights';
import { useAppStore } from '../../app/context';
import { resolveTheme } from '../../store';

/** Reads a CSS colour token of the current theme, so the chart follows light and dark. */
const token = (name: string, fallback: string): string => (typeof document === 'undefined' ? fallback : getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback);

/**
 * Records extracted and loaded per second over the run (uPlot: small, canvas, offline). The series
 * comes from `runs.throughput` (bucketed from the raw units in SQL); values are per second of the
 * bucket so the line means the same whatever the bucket width.
 */
export function ThroughputChart({ data }: { data: RunThroughput }) {
  const box = useRef<HTMLDivElement>(null);
  const theme = useAppStore((s) => resolveTheme(s));

  useEffect(() => {
    const el = box.current;
    if (!el || data.points.length === 0) return;
    const per = data.bucketSeconds;
    const xs = data.points.map((p) => Date.parse(p.at) / 1000);
    const extracted = data.points.map((p) => Math.round((p.extracted / per) * 10) / 10);
    const loaded = data.points.map((p) => Math.round((p.loaded / per) * 10) / 10);
    const text = token('--text-muted', '#555');
    const grid = token('--border', '#ddd');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const chart = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 220,
        scales: { x: { time: true } },
        axes: [axis, { ...axis, label: 'records/s', labelSize: 18, size: 56 }],
        series: [
          {},
          { label: 'Extracted/s', stroke: token('--accent', '#3552c8'), width: 2 },
          { label: 'Loaded/s', stroke: token('--ok', '#146c3a'), width: 2, fill: `${token('--ok', '#146c3a')}22` },
        ],
        legend: { show: true },
      },
      [xs, extracted, loaded],
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [data, theme]);

  if (data.unitsGone) return <p className="muted">The raw units of this run were removed by the raw data retention, so its throughput over time is gone; the totals above remain.</p>;
  if (data.points.length === 0) return <p className="muted">Nothing extracted yet.</p>;
  return <div ref={box} className="chart" data-testid="throughput-chart" data-points={data.points.length} />;
}
