import { describe, expect, it } from 'vitest';

import { redactUrl } from './redact';

describe('redactUrl', () => {
  it('masks the password and keeps the user, host and path', () => {
    expect(redactUrl('amqp://guest:s3cret@127.0.0.1:5672/vh')).toBe('amqp://guest:***@127.0.0.1:5672/vh');
    expect(redactUrl('postgres://app:p%40ss@db:5432/sluice?sslmode=require')).toBe('postgres://app:***@db:5432/sluice?sslmode=require');
  });
  it('leaves URLs without credentials and non-URLs alone', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url')).toBe('not a url');
  });
  it('keeps a user-only userinfo', () => {
    expect(redactUrl('redis://default@h:1')).toBe('redis://default@h:1');
  });
});
