import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { captureLogger } from '../ipc/gate-fixture';
import { app, crashReporter, FakeEvent, resetFakeElectron } from '../testing/fake-electron';
import { MAX_REPORTS, maskUrls, reportsDir, setupCrashReporting, writeCrashReport, type CrashReport } from './crash-report';

vi.mock('electron', () => import('../testing/fake-electron'));

beforeEach(() => resetFakeElectron());

const readReports = (userData: string): CrashReport[] =>
  readdirSync(reportsDir(userData))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(reportsDir(userData), f), 'utf8')) as CrashReport);

describe('crash and error reports', () => {
  it('writes a local report for an uncaught error in main, with the stack and no credentials', () => {
    const userData = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
    const proc = new EventEmitter();
    const { logger, lines } = captureLogger();
    setupCrashReporting({ userData, logger, proc });
    expect(crashReporter.started).toEqual({ uploadToServer: false, compress: true });
    proc.emit('uncaughtException', new Error('connect ECONNREFUSED postgres://sluice:hunter2-secret@db:5432/sluice'));
    proc.emit('unhandledRejection', 'just a string');
    const [first, second] = readReports(userData);
    expect(first).toMatchObject({ kind: 'uncaught-exception', reason: 'an error nothing caught in the main process', message: 'connect ECONNREFUSED postgres://sluice:***@db:5432/sluice', app: { version: '0.1.0', node: process.versions.node } });
    expect(first?.stack).toContain('crash-report.test.ts');
    expect(JSON.stringify(first)).not.toContain('hunter2-secret');
    expect(second).toMatchObject({ kind: 'unhandled-rejection', message: 'just a string', stack: null });
    expect(statSync(join(reportsDir(userData), readdirSync(reportsDir(userData))[0]!)).mode & 0o777).toBe(0o600);
    expect(lines.some((l) => l.includes('uncaught-exception: report written'))).toBe(true);
  });

  it('reports a renderer or child process that went away', () => {
    const userData = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
    setupCrashReporting({ userData, logger: captureLogger().logger, proc: new EventEmitter() });
    app.emit('render-process-gone', new FakeEvent(), { getURL: () => 'file:///opt/sluice/out/renderer/index.html' }, { reason: 'oom', exitCode: 9 });
    app.emit('child-process-gone', new FakeEvent(), { type: 'GPU', reason: 'crashed', exitCode: 139 });
    app.emit('child-process-gone', new FakeEvent(), { type: 'Utility', reason: 'crashed', exitCode: 1 });
    // Written within the same millisecond or not, they keep their order and none overwrites another.
    expect(readReports(userData).map((r) => r.kind)).toEqual(['render-process-gone', 'child-process-gone', 'child-process-gone']);
    expect(readReports(userData).slice(0, 2)).toEqual([
      expect.objectContaining({ kind: 'render-process-gone', reason: 'oom', details: { exitCode: 9, url: 'file:///opt/sluice/out/renderer/index.html' } }),
      expect.objectContaining({ kind: 'child-process-gone', reason: 'crashed', details: { type: 'GPU', exitCode: 139, name: null } }),
    ]);
  });

  it('keeps only the newest reports', () => {
    const userData = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
    const base = Date.parse('2026-03-01T10:00:00Z');
    for (let i = 0; i < MAX_REPORTS + 5; i += 1) writeCrashReport(userData, { kind: 'uncaught-exception', reason: `n${i}`, message: null, stack: null, details: {} }, new Date(base + i * 1000));
    const reports = readReports(userData);
    expect(reports).toHaveLength(MAX_REPORTS);
    expect(reports[0]?.reason).toBe('n5');
    expect(reports.at(-1)?.reason).toBe(`n${MAX_REPORTS + 4}`);
  });

  it('masks credentials in every URL of a text', () => {
    expect(maskUrls('a amqp://u:p@mq:5672/ b redis://:pw@r:6379 c https://ok.example/x')).toBe('a amqp://u:***@mq:5672/ b redis://:***@r:6379 c https://ok.example/x');
  });
});
