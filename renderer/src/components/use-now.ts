import { useEffect, useState } from 'react';

/**
 * The current time, re-read every `intervalMs` while mounted: for countdowns and "x ago" labels.
 * A display clock only; it never calls the engine.
 */
export function useNow(intervalMs = 1000, offsetMs = 0): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + offsetMs), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, offsetMs]);
  return now;
}

/**
 * Calls `refresh` now and every `intervalMs` while the screen is mounted and visible. Only for data
 * nothing pushes (RabbitMQ depths, worker hosts); everything with a push event uses the event.
 */
export function useRefreshWhileOpen(refresh: () => void, intervalMs: number): void {
  useEffect(() => {
    refresh();
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [refresh, intervalMs]);
}
