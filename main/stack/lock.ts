import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive, waitFor } from './proc';

/**
 * Serialises `up`/`down` on one home across processes (the desktop app, the CLI and the test runner may
 * all run `up` at once). The lock file holds the owner's PID; a lock whose owner is dead is stale and taken over.
 */
export async function withStackLock<T>(dir: string, fn: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'lock');
  const tryAcquire = async (): Promise<boolean> => {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    // An empty file is a lock being written right now; only a dead owner makes it stale.
    if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) await unlink(file).catch(() => undefined);
    return false;
  };
  await waitFor(tryAcquire, timeoutMs, `Another sluice process holds ${file}: wait for it to finish, or delete the file if no sluice process is running.`, 100);
  try {
    return await fn();
  } finally {
    await unlink(file).catch(() => undefined);
  }
}
