import { describe, expect, it } from 'vitest';

import { ApiError } from '../../shared/contract/errors';
import { builtTaskEntry, createTaskRunner, sourceTaskEntry } from './tasks';

describe('task entries', () => {
  it('finds the built task worker next to the engine, also from a shared chunk', () => {
    expect(builtTaskEntry('file:///app/out/main/cli.js')).toEqual({ kind: 'file', path: '/app/out/main/workers/task.js' });
    expect(builtTaskEntry('file:///app/out/main/chunks/engine-abc.js')).toEqual({ kind: 'file', path: '/app/out/main/workers/task.js' });
    expect(sourceTaskEntry('/repo')).toEqual({ kind: 'source', path: '/repo/workers/entries/task.worker.ts' });
  });

  it('says to build when the entry is missing, without starting a thread', async () => {
    const runner = createTaskRunner({ kind: 'file', path: '/nonexistent/out/main/workers/task.js' });
    const error = await runner.run('jira.projects', { connection: { provider: 'jira', baseUrl: 'https://x.io', token: 't', settings: {} } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'unavailable', message: 'The task worker /nonexistent/out/main/workers/task.js is missing; run `npm run build` (or reinstall Sluice).' });
  });
});
