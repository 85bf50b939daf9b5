import { describe, expect, it } from 'vitest';

import { credentialHint, displayUrl, joinSecret, splitSecret } from './credentials';

describe('profile credentials', () => {
  it('moves a pasted password out of the URL, decoded', () => {
    expect(splitSecret('postgres://sluice:p%40ss%3Aword@db:5432/sluice')).toEqual({ url: 'postgres://sluice@db:5432/sluice', secret: 'p@ss:word' });
    expect(splitSecret('redis://:s3cret@redis:6379')).toEqual({ url: 'redis://redis:6379', secret: 's3cret' });
    expect(splitSecret('amqp://guest@mq:5672')).toEqual({ url: 'amqp://guest@mq:5672', secret: null });
  });

  it('puts any secret back so drivers can read it, and never into the Qdrant URL', () => {
    const weird = 'a@b:c/d?e#f%g h';
    const joined = joinSecret('postgres', 'postgres://sluice@db:5432/sluice', weird);
    expect(splitSecret(joined)).toEqual({ url: 'postgres://sluice@db:5432/sluice', secret: weird });
    expect(joinSecret('redis', 'redis://redis:6379', 'pw')).toBe('redis://:pw@redis:6379');
    expect(joinSecret('qdrant', 'https://q:6333/', 'api-key')).toBe('https://q:6333/');
    expect(joinSecret('rabbitmq', 'amqp://guest@mq:5672', null)).toBe('amqp://guest@mq:5672');
  });

  it('hints only the end of long secrets and nothing of short ones', () => {
    expect(credentialHint('0123456789abcdefWXYZ')).toBe('…WXYZ');
    expect(credentialHint('sluice')).toBe('…');
    expect(credentialHint('fifteen-chars!!')).toBe('…');
  });

  it('shows URLs without their password', () => {
    expect(displayUrl('amqp://guest:guest@mq:5672')).toBe('amqp://guest@mq:5672');
    expect(displayUrl('not a url')).toBe('(not a URL)');
  });
});
