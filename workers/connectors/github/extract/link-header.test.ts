import { describe, expect, it } from 'vitest';

import { nextLink } from './link-header';

describe('nextLink', () => {
  it('finds rel="next" among the links, with any path shape', () => {
    expect(nextLink('<https://api.github.com/repositories/1000/issues?per_page=3&page=2>; rel="next", <https://api.github.com/repositories/1000/issues?per_page=3&page=5>; rel="last"')).toBe(
      'https://api.github.com/repositories/1000/issues?per_page=3&page=2',
    );
    expect(nextLink('<https://x/a?page=1>; rel="prev", <https://x/a?page=3>; rel="next"')).toBe('https://x/a?page=3');
    expect(nextLink('<https://x/a?q=a,b&page=2>; rel="next"')).toBe('https://x/a?q=a,b&page=2');
  });

  it('is null on the last page or without a header', () => {
    expect(nextLink('<https://x/a?page=1>; rel="first", <https://x/a?page=4>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
    expect(nextLink('garbage')).toBeNull();
  });
});
