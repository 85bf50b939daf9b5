import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { app, crashReporter } from 'electron';
import type pino from 'pino';

import { redactUrl } from '../../shared/lib/redact';

/**
 * Crash and error reports, kept on this machine only (nothing is uploaded): native crashes of any
 * Electron process as minidumps (Electron's crashReporter, `uploadToServer: false`), and a JSON
 * report per uncaught error in main, renderer that went away, or child process that died, in
 * `<userData>/crash-reports`. Reports carry versions, the reason and the stack, with credentials in
 * URLs masked; the newest 50 are kept. Help → Show Crash Reports opens the folder.
 */
export const MAX_REPORTS = 50;

export interface CrashReport {
  readonly kind: 'uncaught-exception' | 'unhandled-rejection' | 'render-process-gone' | 'child-process-gone';
  readonly at: string;
  readonly app: { readonly version: string; readonly electron: string | null; readonly node: string; readonly platform: string; readonly arch: string };
  readonly reason: string;
  readonly message: string | null;
  readonly stack: string | null;
  readonly details: Record<string, unknown>;
}

/** Masks credentials in any URL inside a text (a stack or message may quote a connection string). */
export const maskUrls = (text: string): string => text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"`<>]+/gi, (url) => redactUrl(url));

export const reportsDir = (userData: string): string => join(userData, 'crash-reports');

let sequence = 0;

export const writeCrashReport = (userData: string, report: Omit<CrashReport, 'at' | 'app'>, now = new Date()): string => {
  const dir = reportsDir(userData);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const full: CrashReport = {
    ...report,
    message: report.message === null ? null : maskUrls(report.message),
    stack: report.stack === null ? null : maskUrls(report.stack),
    at: now.toISOString(),
    app: { version: app.getVersion(), electron: process.versions['electron'] ?? null, node: process.versions.node, platform: process.platform, arch: process.arch },
  };
  // A sequence after the time: two reports in the same millisecond (a renderer and its GPU process
  // going together) neither overwrite each other nor sort by kind instead of by order.
  sequence = (sequence + 1) % 10_000;
  const path = join(dir, `${now.toISOString().replace(/[:.]/g, '-')}-${String(sequence).padStart(4, '0')}-${report.kind}.json`);
  writeFileSync(path, `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
  // Keep the newest MAX_REPORTS (names sort by time).
  const reports = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  for (const old of reports.slice(0, Math.max(0, reports.length - MAX_REPORTS))) rmSync(join(dir, old), { force: true });
  return path;
};

const describe_ = (error: unknown): { message: string | null; stack: string | null } =>
  error instanceof Error ? { message: error.message, stack: error.stack ?? null } : { message: String(error), stack: null };

/**
 * Installs the handlers. An uncaught exception in main is reported and logged; the process keeps
 * running (Electron's default would show a raw dialog), because the engine checkpoints work and a
 * half-dead main process is still better closed through the normal quit path by the user.
 */
export const setupCrashReporting = ({ userData, logger, proc = process }: { userData: string; logger: pino.Logger; proc?: NodeJS.EventEmitter }): void => {
  crashReporter.start({ uploadToServer: false, compress: true });
  const report = (kind: CrashReport['kind'], reason: string, error: unknown, details: Record<string, unknown> = {}): void => {
    try {
      const path = writeCrashReport(userData, { kind, reason, ...describe_(error), details });
      logger.error({ err: error, report: path, ...details }, `${kind}: report written`);
    } catch (writeError) {
      logger.error({ err: error, writeError }, `${kind}: the crash report could not be written`);
    }
  };
  proc.on('uncaughtException', (error: unknown) => report('uncaught-exception', 'an error nothing caught in the main process', error));
  proc.on('unhandledRejection', (error: unknown) => report('unhandled-rejection', 'a promise rejection nothing handled in the main process', error));
  app.on('render-process-gone', (_event: unknown, contents: { getURL(): string }, details: { reason: string; exitCode: number }) =>
    report('render-process-gone', details.reason, null, { exitCode: details.exitCode, url: contents.getURL() }),
  );
  app.on('child-process-gone', (_event: unknown, details: { type: string; reason: string; exitCode: number; name?: string }) =>
    report('child-process-gone', details.reason, null, { type: details.type, exitCode: details.exitCode, name: details.name ?? null }),
  );
};
