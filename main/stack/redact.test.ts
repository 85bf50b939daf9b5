import { describe, expect, it } from 'vitest';
import { deriveManagementUrl, redactUrl, urlWith } from './redact';

describe('redactUrl', () => {
  it('hides the password and keeps everything else', () => {
    expect(redactUrl('postgres://postgres:s3cret@127.0.0.1:5432/sluice')).toBe('postgres://postgres:***@127.0.0.1:5432/sluice');
    expect(redactUrl('redis://:pw@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
    expect(redactUrl('amqp://u:p%40ss@h:5672/vh')).not.toContain('p%40ss');
  });

  it('leaves URLs without password and non-URLs untouched', () => {
    expect(redactUrl('amqp://127.0.0.1:5672')).toBe('amqp://127.0.0.1:5672');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});

describe('urlWith', () => {
  it('percent-encodes credentials', () => {
    const url = urlWith('postgres', 'a b', 'p@ss:/', 5432, '/db');
    const parsed = new URL(url);
    expect(decodeURIComponent(parsed.username)).toBe('a b');
    expect(decodeURIComponent(parsed.password)).toBe('p@ss:/');
    expect(parsed.port).toBe('5432');
  });
});

describe('deriveManagementUrl', () => {
  it('uses the AMQP host and credentials on port 15672', () => {
    expect(deriveManagementUrl('amqp://u:p@mq.example:5672/vh')).toBe('http://u:p@mq.example:15672');
    expect(deriveManagementUrl('amqps://u:p@mq.example')).toBe('https://u:p@mq.example:15672');
    expect(deriveManagementUrl('amqp://127.0.0.1')).toBe('http://guest:guest@127.0.0.1:15672');
  });
});
