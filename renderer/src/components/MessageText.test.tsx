import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { MessageText } from './MessageText';

const html = (text: string) => renderToStaticMarkup(<MessageText text={text} />);

describe('MessageText', () => {
  it('shows backticked commands as code and escapes everything else', () => {
    expect(html('start it with `sluice stack up` <now>')).toBe('start it with <code>sluice stack up</code> &lt;now&gt;');
  });

  it('leaves an unmatched backtick alone', () => {
    expect(html('odd ` tick')).toBe('odd ` tick');
  });
});
