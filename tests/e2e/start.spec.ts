import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { expect, test } from '@playwright/test';

const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * `npm start` on a machine without a display: the local stack, migrations, demo simulators and Demo
 * tenant, then the console URL as the first line; Ctrl-C stops the console and the stack it started.
 */
test('sluice start brings up the stack and prints a console URL with every service green', async ({ page }) => {
  test.setTimeout(150_000);
  const home = mkdtempSync(join(process.env['SLUICE_TEST_WORK'] ?? tmpdir(), 'start-'));
  const env = { ...process.env, SLUICE_HOME: home, DATABASE_URL: '', RABBITMQ_URL: '', RABBITMQ_MANAGEMENT_URL: '', REDIS_URL: '', DISPLAY: '', SLUICE_LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['bin/sluice.js', 'start', '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 90 s:\n${stderr}`)), 90_000);
      createInterface({ input: child.stdout }).once('line', (line) => {
        clearTimeout(timer);
        resolve(line.trim());
      });
      child.once('exit', (code) => reject(new Error(`sluice start exited with ${code}:\n${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\?token=/);
    expect(stderr).toContain('Desktop app not started');
    expect(stderr).toMatch(/Demo Jira simulator on http/);

    await page.goto(url);
    await page.getByTestId('nav-system').click();
    for (const name of ['postgres', 'rabbitmq', 'redis']) {
      await expect(page.getByTestId(`service-${name}`)).toHaveAttribute('data-state', 'up');
    }
    await expect(page.getByTestId('tenant-switcher')).toContainText('Demo');

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const status = spawnSync(process.execPath, ['bin/sluice.js', 'stack', 'status', '--home', home, '--json'], { cwd: ROOT, env, encoding: 'utf8' });
    const services = (JSON.parse(status.stdout) as { services: { state: string }[] }).services;
    expect(services.map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    spawnSync(process.execPath, ['bin/sluice.js', 'stack', 'down', '--purge', '--quiet', '--home', home], { cwd: ROOT, env });
  }
});
