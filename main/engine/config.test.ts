import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('reads every service URL and the serve settings', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/sluice',
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QDRANT_URL: 'http://127.0.0.1:6333',
      SLUICE_HOME: '/tmp/sluice-home',
      SLUICE_PORT: '8123',
    });
    expect(c.databaseUrl).toBe('postgres://u:p@127.0.0.1:5432/sluice');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.home).toBe('/tmp/sluice-home');
    expect(c.serve).toEqual({ host: '127.0.0.1', port: 8123, token: null, publicHosts: [] });
  });

  it('reads the public names of a reverse proxy, and refuses anything that is not a host', () => {
    expect(loadConfig({ SLUICE_PUBLIC_HOSTS: 'Sluice.Example.com,sluice.example.com:8443' }).serve.publicHosts).toEqual(['sluice.example.com', 'sluice.example.com:8443']);
    expect(() => loadConfig({ SLUICE_PUBLIC_HOSTS: 'https://sluice.example.com' })).toThrow(/SLUICE_PUBLIC_HOSTS.*host names as a browser sends them/);
    expect(() => loadConfig({ SLUICE_PUBLIC_HOSTS: '*' })).toThrow(ConfigError);
  });

  it('reads the embedded worker pools: off, one count for all stages, or per stage', () => {
    expect(loadConfig({}).workers).toEqual({ extract: 1, transform: 1, load: 1, vectorize: 1 });
    expect(loadConfig({ SLUICE_WORKERS: 'off' }).workers).toBeNull();
    expect(loadConfig({ SLUICE_WORKERS: '3' }).workers).toEqual({ extract: 3, transform: 3, load: 3, vectorize: 3 });
    expect(loadConfig({ SLUICE_WORKERS: 'extract=1,load=2' }).workers).toEqual({ extract: 1, transform: 0, load: 2, vectorize: 0 });
    expect(() => loadConfig({ SLUICE_WORKERS: 'extract=x' })).toThrow(/SLUICE_WORKERS must be "off"/);
  });

  it('treats unset and empty variables as not configured', () => {
    const c = loadConfig({ QDRANT_URL: '' });
    expect(c.qdrantUrl).toBeNull();
    expect(c.databaseUrl).toBeNull();
    expect(c.serve.port).toBe(7420);
  });

  it('names the variable and shows an example when a URL is wrong', () => {
    expect(() => loadConfig({ RABBITMQ_URL: 'http://nope' })).toThrow(ConfigError);
    expect(() => loadConfig({ RABBITMQ_URL: 'http://nope' })).toThrow(/RABBITMQ_URL must be a amqp or amqps URL, e\.g\. amqp:\/\//);
    expect(() => loadConfig({ SLUICE_PORT: 'abc' })).toThrow(/SLUICE_PORT/);
    expect(() => loadConfig({ SLUICE_TOKEN: 'short' })).toThrow(/SLUICE_TOKEN must be at least 16/);
    expect(() => loadConfig({ SLUICE_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/SLUICE_SECRET_KEY must be 32 bytes in base64/);
    expect(loadConfig({ SLUICE_SECRET_KEY: Buffer.alloc(32, 1).toString('base64') }).secretKey).toHaveLength(44);
  });
});
