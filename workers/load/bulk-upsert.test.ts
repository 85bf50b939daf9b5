import { describe, expect, it } from 'vitest';

import { arrayLiteral, encodeCopyRow, encodeCopyValue, escapeCopyText, JsonText } from './bulk-upsert';

describe('COPY text encoding', () => {
  it('escapes the characters COPY text gives meaning to', () => {
    expect(escapeCopyText('plain text, ünïcødé ✓ 🚀')).toBe('plain text, ünïcødé ✓ 🚀');
    expect(escapeCopyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // \N in the data is two characters, not NULL.
    expect(escapeCopyText('\\N')).toBe('\\\\N');
    // U+0000 cannot be stored in PostgreSQL text: dropped.
    expect(escapeCopyText('a\0b')).toBe('ab');
  });

  it('encodes NULL and scalars', () => {
    expect(encodeCopyValue(null)).toBe('\\N');
    expect(encodeCopyValue(undefined)).toBe('\\N');
    expect(encodeCopyValue('')).toBe('');
    expect(encodeCopyValue(42)).toBe('42');
    expect(encodeCopyValue(-1.5e-7)).toBe('-1.5e-7');
    expect(encodeCopyValue(Number.NaN)).toBe('NaN');
    expect(encodeCopyValue(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(encodeCopyValue(12345678901234567890n)).toBe('12345678901234567890');
    expect(encodeCopyValue(true)).toBe('t');
    expect(encodeCopyValue(false)).toBe('f');
    expect(encodeCopyValue(new Date('2024-05-06T07:08:09.123Z'))).toBe('2024-05-06T07:08:09.123Z');
    expect(() => encodeCopyValue(new Date('nope'))).toThrow(/invalid Date/);
  });

  it('encodes jsonb: serialized, escaped, NUL dropped, pre-serialized text passed through', () => {
    expect(encodeCopyValue({ a: 'x\ty', n: null }, 'json')).toBe('{"a":"x\\\\ty","n":null}');
    // A JS string in a json column is a JSON string, not raw JSON.
    expect(encodeCopyValue('hello', 'json')).toBe('"hello"');
    expect(encodeCopyValue(new JsonText('{"raw":true}'), 'json')).toBe('{"raw":true}');
    expect(encodeCopyValue({ s: 'a\0b' }, 'json')).toBe('{"s":"ab"}');
    // A literal backslash-u0000 typed by a user (escaped backslash) is kept.
    expect(encodeCopyValue({ s: '\\u0000' }, 'json')).toBe('{"s":"\\\\\\\\u0000"}');
    // Newlines inside JSON strings are already \n escapes in JSON; their backslash is escaped for COPY.
    expect(encodeCopyValue({ s: 'l1\nl2' }, 'json')).toBe('{"s":"l1\\\\nl2"}');
  });

  it('encodes arrays and bytea', () => {
    expect(arrayLiteral(['a', 'b,c', null, 'q"uo\\te'])).toBe('{"a","b,c",NULL,"q\\"uo\\\\te"}');
    expect(encodeCopyValue(['x', 'y z'], 'array')).toBe('{"x","y z"}');
    expect(encodeCopyValue([1, [2, 3]], 'array')).toBe('{"1",{"2","3"}}');
    // In COPY text the bytea hex prefix needs its backslash escaped.
    expect(encodeCopyValue(Buffer.from([0, 255, 16]), 'bytea')).toBe('\\\\x00ff10');
  });

  it('builds a tab-separated line in column order', () => {
    const kinds = ['plain', 'plain', 'json'] as const;
    expect(encodeCopyRow({ b: 'two\nlines', a: 1, c: { k: 1 } }, ['a', 'b', 'c'], kinds)).toBe('1\ttwo\\nlines\t{"k":1}\n');
    expect(encodeCopyRow({ a: 1 }, ['a', 'b', 'c'], kinds)).toBe('1\t\\N\t\\N\n');
  });

  it('refuses values it cannot represent', () => {
    expect(() => encodeCopyValue(Symbol('s'))).toThrow(/Cannot COPY a value of type symbol/);
  });
});
