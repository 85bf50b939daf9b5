import { describe, expect, it } from 'vitest';

import type { ProfileView } from '../../../../shared/contract/profiles';

import { checkValues, emptyProfileValues, fieldForIssue, secretHintText, toSaveInput, valuesFromProfile } from './profile-form-model';

const saved: ProfileView = {
  id: 'staging',
  name: 'Staging',
  kind: 'remote',
  role: 'operator',
  active: false,
  editable: true,
  services: {
    postgres: { url: 'postgres://app@db.staging:5432/sluice', hasSecret: true, secretHint: '…W1x2' },
    postgresReplica: { url: null, hasSecret: false, secretHint: null },
    rabbitmq: { url: 'amqp://app@mq.staging:5672', hasSecret: true, secretHint: '…' },
    rabbitmqManagement: { url: null, hasSecret: false, secretHint: null },
    redis: { url: 'redis://redis.staging:6379', hasSecret: false, secretHint: null },
    qdrant: { url: null, hasSecret: false, secretHint: null },
  },
  secretKey: { configured: true, keyId: 'abcd1234' },
  updatedAt: '2026-03-01T10:00:00.000Z',
};

describe('profile form model', () => {
  it('starts an edit with the URLs and no secret at all', () => {
    const values = valuesFromProfile(saved);
    expect(values.services.postgres).toEqual({ url: 'postgres://app@db.staging:5432/sluice', secret: '', clearSecret: false });
    expect(values.secretKey).toBe('');
    expect(JSON.stringify(values)).not.toContain('W1x2');
  });

  it('keeps stored secrets unless a new one is typed or removal is asked, and removes cleared services', () => {
    const values = valuesFromProfile(saved);
    values.services.rabbitmq.clearSecret = true;
    values.services.redis.url = '';
    values.services.qdrant = { url: 'https://q.staging:6333', secret: 'qdrant-key', clearSecret: false };
    expect(toSaveInput(values, saved)).toEqual({
      id: 'staging',
      name: 'Staging',
      kind: 'remote',
      role: 'operator',
      services: {
        postgres: { url: 'postgres://app@db.staging:5432/sluice' },
        rabbitmq: { url: 'amqp://app@mq.staging:5672', secret: null },
        redis: { url: null },
        qdrant: { url: 'https://q.staging:6333', secret: 'qdrant-key' },
      },
    });
    values.clearSecretKey = true;
    expect(toSaveInput(values, saved)).toMatchObject({ secretKey: null });
  });

  it('sends no services for the local stack', () => {
    expect(toSaveInput(emptyProfileValues('local'), null)).toEqual({ name: 'Local', kind: 'local', role: 'admin', services: {} });
  });

  it("checks with the contract's schema and puts each issue at its field", () => {
    const values = emptyProfileValues('remote');
    values.name = 'Prod';
    values.services.redis.url = 'http://redis:6379';
    const issues = checkValues(values, null);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['services.redis.url', 'services.postgres.url']));
    expect(issues.find((i) => i.path === 'services.redis.url')?.message).toContain('a redis or rediss URL');
    expect(fieldForIssue('services.redis.url')).toBe('services.redis.url');
    expect(fieldForIssue('services')).toBeNull();
    expect(fieldForIssue('name')).toBe('name');
  });

  it('says which secret is stored by its hint only', () => {
    expect(secretHintText('postgres', saved)).toBe('A password is stored (…W1x2): type a new one to replace it, or leave empty to keep it.');
    expect(secretHintText('qdrant', saved)).toBe("Optional. Stored sealed by this computer's keychain and never shown again.");
    expect(secretHintText('redis', saved)).toContain('A password pasted inside the URL is moved here.');
  });
});
