import { describe, expect, it } from 'vitest';

import { healthReport } from '../../testing/fixtures';

import { formatClock, formatLatency, sortServices } from './format';

describe('system formatting', () => {
  it('formats latency for small, normal and very slow probes', () => {
    expect([null, 2.345, 87.6, 12_345].map(formatLatency)).toEqual(['—', '2.3 ms', '88 ms', '12.3 s']);
  });

  it('formats a clock time and leaves unparseable input as is', () => {
    expect(formatClock('2025-01-01T10:00:00.000Z')).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(formatClock('soon')).toBe('soon');
  });

  it('orders services the same way whatever order they arrive in', () => {
    const services = [...healthReport().services].reverse();
    expect(sortServices(services).map((s) => s.service)).toEqual(['postgres', 'rabbitmq', 'redis', 'qdrant']);
  });
});
