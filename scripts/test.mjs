#!/usr/bin/env node
// The whole test suite, as `npm test` runs it on a fresh machine:
//   build → typecheck → lint → servers (local stack, unless the environment gives them)
//   → vitest (unit + integration) → Playwright end-to-end in Debian Chromium → stop servers.
// It prints one summary line per part and, last, the plain line `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'sluice-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
const only = new Set(process.argv.slice(2)); // e.g. `npm test -- unit e2e` runs just those parts

const want = (part) => only.size === 0 || only.has(part);
const record = (part, passed, failed, skipped = 0, note = '') => {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`${part}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${note ? ` (${note})` : ''}`);
};

const run = (cmd, args, env = {}) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), ms: Date.now() - started }));
    child.on('error', () => resolve({ code: 127, ms: Date.now() - started }));
  });

const capture = (cmd, args, env) => spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Playwright drives Debian's Chromium (its own browser download cannot work offline). */
const ensureChromium = () => {
  if (existsSync('/usr/bin/chromium')) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error('sluice test: Chromium is missing. Install Debian\'s `chromium` package (or set CHROMIUM_PATH) to run the end-to-end tests.');
    return;
  }
  console.log('Installing chromium with apt-get (end-to-end tests)…');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
};

const serverEnvGiven = ['DATABASE_URL', 'RABBITMQ_URL', 'REDIS_URL'].every((k) => process.env[k]);
const stackHome = join(work, 'stack');
let stackStarted = false;

const stopStack = () => {
  if (!stackStarted) return;
  stackStarted = false;
  capture('node', ['bin/sluice.js', 'stack', 'down', '--purge', '--quiet', '--home', stackHome], stackEnv());
};

/** The stack must start its own servers: strip any service URLs from the environment it sees. */
const stackEnv = () => ({ DATABASE_URL: '', RABBITMQ_URL: '', RABBITMQ_MANAGEMENT_URL: '', REDIS_URL: '', QDRANT_URL: '' });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopStack();
    process.exit(130);
  });
}

const main = async () => {
  const t0 = Date.now();
  const build = await run('npm', ['run', '--silent', 'build']);
  record('build', build.code === 0 ? 1 : 0, build.code === 0 ? 0 : 1, 0, secs(build.ms));
  if (build.code !== 0) return;

  if (want('static')) {
    const tc = await run('npm', ['run', '--silent', 'typecheck']);
    record('typecheck', tc.code === 0 ? 1 : 0, tc.code === 0 ? 0 : 1, 0, secs(tc.ms));
    const lint = await run('npx', ['eslint', '--max-warnings=0', '.']);
    record('lint', lint.code === 0 ? 1 : 0, lint.code === 0 ? 0 : 1, 0, secs(lint.ms));
  }

  let serviceEnv = {};
  if (want('integration') || want('e2e')) {
    if (serverEnvGiven) {
      serviceEnv = {};
    } else {
      const started = Date.now();
      // Marked before `up`: a half-started stack (one server failed) must still be stopped.
      stackStarted = true;
      const up = capture('node', ['bin/sluice.js', 'stack', 'up', '--home', stackHome, '--json'], stackEnv());
      if (up.status !== 0) {
        process.stderr.write(up.stderr);
        record('servers', 0, 1, 0, 'sluice stack up failed');
        return;
      }
      const status = JSON.parse(up.stdout);
      const e = status.endpoints;
      serviceEnv = { DATABASE_URL: e.databaseUrl, RABBITMQ_URL: e.rabbitmqUrl, RABBITMQ_MANAGEMENT_URL: e.rabbitmqManagementUrl, REDIS_URL: e.redisUrl };
      console.log(`Servers up in ${secs(Date.now() - started)} (stack home ${stackHome}).`);
    }
  }

  // integration-serial: files that start private servers run alone, after the rest (vitest.config.ts).
  const projects = ['unit', 'integration', 'integration-serial'].filter((p) => want(p === 'integration-serial' ? 'integration' : p));
  if (projects.length) {
    const out = join(work, 'vitest.json');
    const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];
    // Worker threads in the tests start from the fresh build (tests/integration/support/entries.ts).
    const v = await run('npx', args, { ...serviceEnv, SLUICE_TEST_BUILT: '1' });
    if (!existsSync(out)) {
      record('vitest', 0, 1, 0, `no report, exit ${v.code}`);
    } else {
      const r = JSON.parse(readFileSync(out, 'utf8'));
      // A file whose setup failed has no failed test, only skipped ones: count the file as a failure.
      const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
      const failed = r.numFailedTests + brokenFiles + (v.code !== 0 && r.numFailedTests + brokenFiles === 0 ? 1 : 0);
      record(`vitest (${projects.join(' + ')})`, r.numPassedTests, failed, r.numPendingTests + r.numTodoTests, secs(v.ms));
    }
  }

  if (want('e2e')) {
    ensureChromium();
    const out = join(work, 'playwright.json');
    const p = await run('npx', ['playwright', 'test', '--reporter=list,json'], { ...serviceEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: out, SLUICE_TEST_WORK: work });
    if (!existsSync(out)) {
      record('playwright', 0, 1, 0, `no report, exit ${p.code}`);
    } else {
      const s = JSON.parse(readFileSync(out, 'utf8')).stats;
      const failed = s.unexpected + (p.code !== 0 && s.unexpected === 0 ? 1 : 0);
      record('playwright (e2e)', s.expected + s.flaky, failed, s.skipped, `${secs(p.ms)}${s.flaky ? `, ${s.flaky} flaky` : ''}`);
    }
  }
  lines.push(`total time ${secs(Date.now() - t0)}`);
};

try {
  await main();
} finally {
  stopStack();
  rmSync(work, { recursive: true, force: true });
}
console.log('');
for (const line of lines) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
