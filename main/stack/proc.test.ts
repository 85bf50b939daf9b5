import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cmdlineMatches, pidAlive, pidOwned, stopPid, waitFor } from './proc';

describe('cmdlineMatches', () => {
  const pg = ['/opt/x/bin/postgres', '-D', '/home/a/.sluice/stack/postgres/data', '-p', '40010'];

  it('accepts the server it recorded', () => {
    expect(cmdlineMatches(pg, { exe: 'postgres', includes: ['-D', '/home/a/.sluice/stack/postgres/data'] })).toBe(true);
  });

  it('rejects a reused PID running something else, or another instance', () => {
    expect(cmdlineMatches(['/usr/bin/vim', 'notes'], { exe: 'postgres', includes: [] })).toBe(false);
    expect(cmdlineMatches(pg, { exe: 'postgres', includes: ['/home/b/.sluice/stack/postgres/data'] })).toBe(false);
    expect(cmdlineMatches(null, { exe: 'postgres', includes: [] })).toBe(false);
  });

  it('matches whole tokens only (port 4000 is not port 40005)', () => {
    const epmd = ['/usr/lib/erlang/bin/epmd', '-address', '127.0.0.1', '-port', '40005'];
    expect(cmdlineMatches(epmd, { exe: 'epmd', includes: ['-port 40005'] })).toBe(true);
    expect(cmdlineMatches(epmd, { exe: 'epmd', includes: ['-port 4000'] })).toBe(false);
  });

  it('handles a rewritten process title (redis puts everything in argv[0])', () => {
    expect(cmdlineMatches(['/usr/bin/redis-server 127.0.0.1:40011'], { exe: 'redis-server', includes: ['127.0.0.1:40011'] })).toBe(true);
    expect(cmdlineMatches(['/usr/bin/redis-server 127.0.0.1:40011'], { exe: 'redis-server', includes: ['127.0.0.1:4001'] })).toBe(false);
  });
});

describe('pidOwned / stopPid on a real process', () => {
  it('recognises its own child, stops it and sees it gone', async () => {
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    const pid = child.pid ?? 0;
    await waitFor(() => pidOwned(pid, { exe: 'sleep', includes: ['300'] }), 5_000, 'child never appeared');
    expect(pidOwned(pid, { exe: 'sleep', includes: ['301'] })).toBe(false);
    expect(await stopPid(pid, 'SIGTERM', 5_000)).toBe('exited');
    expect(pidAlive(pid)).toBe(false);
    expect(await stopPid(pid, 'SIGTERM', 5_000)).toBe('gone');
  });
});
