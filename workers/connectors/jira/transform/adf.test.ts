import { describe, expect, it } from 'vitest';

import { adfToText, isAdfDocument } from './adf';

const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const p = (...content: unknown[]) => ({ type: 'paragraph', content });
const t = (text: string, marks?: unknown[]) => ({ type: 'text', text, ...(marks ? { marks } : {}) });

describe('ADF to plain text', () => {
  it('joins paragraphs with line breaks and drops marks', () => {
    expect(adfToText(doc(p(t('Hello '), t('world', [{ type: 'strong' }])), p(t('Second line'))))).toBe('Hello world\nSecond line');
  });

  it('renders lists, hard breaks, mentions, emoji, links and dates as text', () => {
    const value = doc(
      { type: 'heading', attrs: { level: 2 }, content: [t('Steps')] },
      { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('one'))] }, { type: 'listItem', content: [p(t('two'))] }] },
      p(t('ask '), { type: 'mention', attrs: { id: 'abc', text: '@Mia' } }, { type: 'hardBreak' }, { type: 'emoji', attrs: { shortName: ':tada:', text: '🎉' } }),
      p({ type: 'inlineCard', attrs: { url: 'https://example.com/x' } }, t(' due '), { type: 'date', attrs: { timestamp: '1704153600000' } }),
    );
    expect(adfToText(value)).toBe('Steps\n- one\n- two\nask @Mia\n🎉\nhttps://example.com/x due 2024-01-02');
  });

  it('separates table cells and keeps code blocks', () => {
    const cell = (s: string) => ({ type: 'tableCell', content: [p(t(s))] });
    const value = doc({ type: 'table', content: [{ type: 'tableRow', content: [cell('a'), cell('b')] }] }, { type: 'codeBlock', content: [t('x = 1')] });
    expect(adfToText(value)).toBe('a | b\nx = 1');
  });

  it('reads unknown nodes through their children and empty documents as null', () => {
    expect(adfToText(doc({ type: 'brandNewNode', content: [t('inside')] }))).toBe('inside');
    expect(adfToText(doc())).toBeNull();
    expect(adfToText(doc(p()))).toBeNull();
  });

  it('survives hostile nesting without exhausting the stack', () => {
    let node: unknown = t('deep');
    for (let i = 0; i < 20_000; i += 1) node = { type: 'blockquote', content: [node] };
    expect(adfToText(doc(node))).toBe('deep');
  });

  it('recognises documents', () => {
    expect(isAdfDocument(doc())).toBe(true);
    expect(isAdfDocument({ type: 'paragraph', content: [] })).toBe(false);
    expect(isAdfDocument('text')).toBe(false);
  });
});
