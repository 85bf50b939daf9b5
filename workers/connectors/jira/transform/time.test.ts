import { describe, expect, it } from 'vitest';

import { parseJiraTimestamp, secondsBetween, toIso } from './time';

describe('Jira timestamps', () => {
  it('reads offsets without a colon, with a colon, and Z as the same instant', () => {
    const utc = Date.UTC(2024, 0, 2, 9, 0, 0);
    expect(parseJiraTimestamp('2024-01-02T10:00:00.000+0100')).toBe(utc);
    expect(parseJiraTimestamp('2024-01-02T10:00:00.000+01:00')).toBe(utc);
    expect(parseJiraTimestamp('2024-01-02T09:00:00.000Z')).toBe(utc);
    expect(parseJiraTimestamp('2024-01-02T04:30:00.000-0430')).toBe(utc);
  });

  it('reads an offset that crosses midnight and a date line', () => {
    expect(toIso('2024-01-01T23:30:00.000-0200')).toBe('2024-01-02T01:30:00.000Z');
    expect(toIso('2024-01-02T05:00:00.000+1400')).toBe('2024-01-01T15:00:00.000Z');
  });

  it('keeps milliseconds, truncates finer fractions, and accepts missing seconds', () => {
    expect(toIso('2024-01-02T10:00:00.123456+0000')).toBe('2024-01-02T10:00:00.123Z');
    expect(toIso('2024-01-02T10:00+0000')).toBe('2024-01-02T10:00:00.000Z');
    expect(toIso('2024-01-02T10:00:05Z')).toBe('2024-01-02T10:00:05.000Z');
  });

  it('reads a timestamp without an offset as UTC, not local time', () => {
    expect(toIso('2024-06-02T10:00:00.000')).toBe('2024-06-02T10:00:00.000Z');
  });

  it('reads leap days and two-digit years as written', () => {
    expect(toIso('2024-02-29T00:00:00.000+0000')).toBe('2024-02-29T00:00:00.000Z');
    expect(parseJiraTimestamp('2023-02-29T00:00:00.000+0000')).toBeNull();
    expect(toIso('0099-01-01T00:00:00.000Z')).toBe('0099-01-01T00:00:00.000Z');
  });

  it('refuses impossible dates and text that is not a timestamp', () => {
    expect(parseJiraTimestamp('2025-02-31T10:00:00.000+0000')).toBeNull();
    expect(parseJiraTimestamp('2025-02-28T25:00:00.000+0000')).toBeNull();
    expect(parseJiraTimestamp('31/02/2025 25:61')).toBeNull();
    expect(parseJiraTimestamp('2024-01-02')).toBeNull();
    expect(parseJiraTimestamp('2024-01-02T10:00:00.000+2500')).toBeNull();
    expect(() => toIso('yesterday')).toThrow(/not a Jira timestamp/);
  });

  it('counts whole seconds and never a negative duration', () => {
    expect(secondsBetween(0, 1_499)).toBe(1);
    expect(secondsBetween(0, 90_000)).toBe(90);
    expect(secondsBetween(5_000, 1_000)).toBe(0);
  });
});
