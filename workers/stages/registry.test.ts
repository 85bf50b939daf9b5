import { describe, expect, it } from 'vitest';

import { syntheticRawId } from './noop';
import { handlers, resolveHandler } from './registry';

describe('handler registry', () => {
  it('resolves a registered handler for a stage it supports', () => {
    expect(resolveHandler('noop', 'transform')).toBe(handlers.noop);
  });

  it('refuses an unknown name with the list of known handlers', () => {
    expect(() => resolveHandler('nope', 'load')).toThrow(/No stage handler is named "nope"; known handlers: noop, test-slow, test-crash/);
  });

  it('does not treat Object prototype keys as handlers', () => {
    expect(() => resolveHandler('constructor', 'load')).toThrow(/No stage handler/);
  });
});

describe('noop synthetic raw ids', () => {
  it('uses a numeric cursor as is', () => {
    expect(syntheticRawId('42', 'm')).toBe(42);
  });

  it('derives a stable positive safe integer otherwise', () => {
    const a = syntheticRawId(null, 'message-1');
    expect(a).toBe(syntheticRawId('abc', 'message-1'));
    expect(Number.isSafeInteger(a) && a > 0).toBe(true);
    expect(syntheticRawId(null, 'message-2')).not.toBe(a);
  });
});
