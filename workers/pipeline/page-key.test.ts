import { describe, expect, it } from 'vitest';

import { pageKeyOf } from './page-key';

describe('pageKeyOf', () => {
  it('names a page by its partition and the cursor that asks for it, before it is fetched', () => {
    expect(pageKeyOf(null, null)).toBe('|');
    expect(pageKeyOf(null, '7')).toBe('|7');
    expect(pageKeyOf('ENG', null)).toBe('ENG|');
    expect(pageKeyOf('ENG', '100')).not.toBe(pageKeyOf('OPS', '100'));
  });

  it('keeps long opaque cursors within the column and still tells them apart', () => {
    const a = pageKeyOf('ENG', 'x'.repeat(3000));
    const b = pageKeyOf('ENG', `${'x'.repeat(2999)}y`);
    expect(a.length).toBeLessThanOrEqual(500);
    expect(a).not.toBe(b);
    expect(pageKeyOf('ENG', 'x'.repeat(3000))).toBe(a);
  });
});
