import { describe, expect, it } from 'vitest';

import { fieldText, hasDevelopment, storyPoints, teamText } from './values';

describe('custom field value normalisation', () => {
  it('keeps text, writes numbers and booleans as text, and empty values as null', () => {
    expect(fieldText('Müller GmbH')).toBe('Müller GmbH');
    expect(fieldText(12.5)).toBe('12.5');
    expect(fieldText(0)).toBe('0');
    expect(fieldText(false)).toBe('false');
    expect(fieldText('')).toBeNull();
    expect(fieldText(null)).toBeNull();
    expect(fieldText(undefined)).toBeNull();
    expect(fieldText([])).toBeNull();
  });

  it('turns options into their value, cascading options into parent > child, users into their display name', () => {
    expect(fieldText({ self: 'x', value: 'Critique', id: '10100' })).toBe('Critique');
    expect(fieldText({ value: 'Checkout', id: '1', child: { value: 'Paiement', id: '2' } })).toBe('Checkout > Paiement');
    expect(fieldText({ accountId: 'a1', displayName: 'Mia Krystof', emailAddress: 'm@x' })).toBe('Mia Krystof');
  });

  it('joins arrays of options, users and strings with commas', () => {
    expect(fieldText([{ value: 'iOS' }, { value: 'Web' }])).toBe('iOS, Web');
    expect(fieldText([{ displayName: 'A' }, null, { displayName: 'B' }])).toBe('A, B');
    expect(fieldText(['okr', 'hotfix'])).toBe('okr, hotfix');
  });

  it('reads ADF rich text as plain text and unknown objects as JSON', () => {
    expect(fieldText({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Accept when green' }] }] })).toBe('Accept when green');
    expect(fieldText({ a: 1 })).toBe('{"a":1}');
  });

  it('reads teams by name or title', () => {
    expect(teamText({ id: 'x', name: 'Platform', title: 'Platform team' })).toBe('Platform');
    expect(teamText({ id: 'x', title: 'Payments' })).toBe('Payments');
    expect(teamText('Core')).toBe('Core');
    expect(teamText(null)).toBeNull();
  });

  it('reads story points as numbers only', () => {
    expect(storyPoints(5)).toBe(5);
    expect(storyPoints('8')).toBe(8);
    expect(storyPoints('lots')).toBeNull();
    expect(storyPoints(null)).toBeNull();
  });

  it('treats the development summary "{}" as no development and any summary as development', () => {
    expect(hasDevelopment('{}')).toBe(false);
    expect(hasDevelopment(' ')).toBe(false);
    expect(hasDevelopment(null)).toBe(false);
    expect(hasDevelopment('{pullrequest={dataType=pullrequest, state=MERGED, stateCount=1}, json={}}')).toBe(true);
    expect(hasDevelopment({ pullrequest: { count: 1 } })).toBe(true);
    expect(hasDevelopment({})).toBe(false);
  });
});
