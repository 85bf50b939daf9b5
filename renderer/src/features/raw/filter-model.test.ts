import { describe, expect, it } from 'vitest';

import { EMPTY_RAW_VIEW } from '../../store/raw-slice';

import { filterKey, filterOf, formatBytes, localToIso } from './filter-model';

describe('raw filter model', () => {
  it('drops empty fields and trims text', () => {
    expect(filterOf(EMPTY_RAW_VIEW)).toEqual({});
    expect(filterOf({ ...EMPTY_RAW_VIEW, integrationId: 3, statuses: ['failed'], text: '  ENG-1 ', errorText: ' ' })).toEqual({ integrationId: 3, statuses: ['failed'], text: 'ENG-1' });
  });

  it('turns local times into instants and ignores what does not parse', () => {
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('not a date')).toBeUndefined();
    expect(localToIso('2026-01-31T10:00')).toBe(new Date('2026-01-31T10:00').toISOString());
  });

  it('keys filters independently of field order', () => {
    expect(filterKey({ runId: 1, integrationId: 2 })).toBe(filterKey({ integrationId: 2, runId: 1 }));
    expect(filterKey({ runId: 1 })).not.toBe(filterKey({ runId: 2 }));
    expect(formatBytes(10 * 1024 * 1024)).toBe('10.0 MB');
  });
});
