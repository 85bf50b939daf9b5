import { describe, expect, it } from 'vitest';

import { MigrationError, orderMigrations, planMigrations } from './migration-plan';

const file = (name: string, checksum = `c-${name}`) => ({ name, sql: 'select 1', checksum });

describe('orderMigrations', () => {
  it('orders by number and ignores non-SQL files', () => {
    const ordered = orderMigrations([file('0002_b.sql'), file('README.md'), file('0001_a.sql')]);
    expect(ordered.map((f) => f.name)).toEqual(['0001_a.sql', '0002_b.sql']);
    expect(ordered.map((f) => f.version)).toEqual([1, 2]);
  });
  it('refuses misnamed files, gaps and duplicates', () => {
    expect(() => orderMigrations([file('1_a.sql')])).toThrow(/misnamed/);
    expect(() => orderMigrations([file('0001_a.sql'), file('0003_c.sql')])).toThrow(MigrationError);
    expect(() => orderMigrations([file('0001_a.sql'), file('0001_b.sql')])).toThrow(/without gaps or duplicates/);
  });
});

describe('planMigrations', () => {
  const files = orderMigrations([file('0001_a.sql'), file('0002_b.sql'), file('0003_c.sql')]);
  it('returns what is not applied yet, in order', () => {
    expect(planMigrations(files, [{ name: '0001_a.sql', checksum: 'c-0001_a.sql' }]).map((f) => f.name)).toEqual(['0002_b.sql', '0003_c.sql']);
    expect(planMigrations(files, files)).toEqual([]);
  });
  it('refuses a changed applied file', () => {
    expect(() => planMigrations(files, [{ name: '0001_a.sql', checksum: 'other' }])).toThrow(/changed after it was applied/);
  });
  it('refuses a database that is ahead of the build', () => {
    expect(() => planMigrations(files, [{ name: '0009_z.sql', checksum: 'x' }])).toThrow(/newer Sluice/);
  });
  it('refuses a hole in the applied history', () => {
    expect(() => planMigrations(files, [{ name: '0002_b.sql', checksum: 'c-0002_b.sql' }])).toThrow(/history was edited/);
  });
});
