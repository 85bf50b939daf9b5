import { mkdtemp, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseState, readState, stateFile, writeState, type StackState } from './state';

const sample: StackState = {
  version: 1,
  postgres: { pid: 10, port: 40010, user: 'postgres', password: 'pw', database: 'sluice', dataDir: '/d' },
  rabbitmq: { pid: null, epmdPid: null, port: 40012, managementPort: 40013, distPort: 40014, epmdPort: 40015, nodeName: 'n@localhost', user: 'sluice', password: 'pw' },
  redis: { pid: 12, port: 40011, password: 'pw' },
};

describe('parseState', () => {
  it('round-trips a valid state', () => {
    expect(parseState(JSON.stringify(sample), 'f')).toEqual(sample);
  });

  it('rejects bad JSON and schema violations with one sentence naming the file and field', () => {
    expect(() => parseState('{', '/h/stack/state.json')).toThrow(/state\.json is not valid JSON/);
    const bad = { ...sample, redis: { pid: -1, port: 40011, password: 'pw' } };
    expect(() => parseState(JSON.stringify(bad), '/h/stack/state.json')).toThrow(/invalid \(redis\.pid/);
    expect(() => parseState(JSON.stringify({ version: 2 }), 'f')).toThrow(/invalid/);
  });
});

describe('readState / writeState', () => {
  it('returns an empty state when there is no file, writes 0600 and reads it back', async () => {
    const home = await mkdtemp(join(tmpdir(), 'sluice-state-'));
    expect(await readState(home)).toEqual({ version: 1 });
    await writeState(home, sample);
    expect((await stat(stateFile(home))).mode & 0o777).toBe(0o600);
    expect(await readState(home)).toEqual(sample);
    expect(JSON.parse(await readFile(stateFile(home), 'utf8'))).toEqual(sample);
  });

  it('throws on a corrupt file instead of overwriting it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'sluice-state-'));
    await mkdir(join(home, 'stack'));
    await writeFile(stateFile(home), 'garbage');
    await expect(readState(home)).rejects.toThrow(/not valid JSON/);
  });
});
