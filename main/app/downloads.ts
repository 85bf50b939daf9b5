import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';

import { session, type WebContents } from 'electron';
import type pino from 'pino';

import type { WindowRegistry } from './window';

/**
 * Files the console saves (raw exports, run logs) are Blob downloads started by our own page. The
 * page names the file, so the name is treated as hostile: only its last path segment is kept,
 * characters no file system accepts are replaced, device names (CON, NUL…) and names that are only
 * dots are refused, and only the export types Sluice writes may be saved. Downloads of anything else
 * (a remote URL, a page we did not create) are cancelled. The user still picks the folder in the
 * save dialog, which opens in Downloads with the cleaned name.
 */
export const ALLOWED_EXTENSIONS = ['.ndjson', '.sluice', '.json', '.jsonl', '.csv', '.txt', '.log'] as const;
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_NAME = 180;

/** A safe file name for `suggested`, or null when it cannot be made one (with the reason). */
export const safeDownloadName = (suggested: string): { name: string } | { refused: string } => {
  // Both separators: a name from the page may be written for either OS, and %2F-style escapes decoded.
  let decoded = suggested;
  try {
    decoded = decodeURIComponent(suggested);
  } catch {
    // Not URI-encoded: keep as is.
  }
  const last = decoded.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const cleaned = last.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  if (cleaned === '') return { refused: `"${suggested}" has no usable file name` };
  if (WINDOWS_DEVICES.test(cleaned)) return { refused: `"${cleaned}" is a device name on Windows` };
  const ext = extname(cleaned).toLowerCase();
  if (!(ALLOWED_EXTENSIONS as readonly string[]).includes(ext)) return { refused: `"${cleaned}" is not a file type Sluice exports (${ALLOWED_EXTENSIONS.join(', ')})` };
  const name = cleaned.length > MAX_NAME ? `${cleaned.slice(0, MAX_NAME - ext.length)}${ext}` : cleaned;
  return { name };
};

/** `dir/name`, or `dir/name (2).ext` and so on when the file exists: a download never overwrites. */
export const freePath = (dir: string, name: string, exists: (path: string) => boolean = existsSync): string => {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let path = join(dir, name);
  for (let n = 2; exists(path); n += 1) path = join(dir, `${stem} (${n})${ext}`);
  return path;
};

interface DownloadItemLike {
  getURL(): string;
  getFilename(): string;
  setSaveDialogOptions(options: { defaultPath: string; filters?: { name: string; extensions: string[] }[] }): void;
}

export const setupDownloads = ({ windows, downloadsDir, logger }: { windows: WindowRegistry; downloadsDir: () => string; logger: pino.Logger }): void => {
  session.defaultSession.on('will-download', (event: { preventDefault(): void }, item: DownloadItemLike, contents: WebContents) => {
    const url = item.getURL();
    if (!windows.fromWebContents(contents)) {
      event.preventDefault();
      logger.warn({ url: url.slice(0, 200) }, 'download refused: not started by a Sluice window');
      return;
    }
    if (!/^(blob|data):/i.test(url)) {
      event.preventDefault();
      logger.warn({ url: url.slice(0, 200) }, 'download refused: only files the console makes itself are saved');
      return;
    }
    const checked = safeDownloadName(item.getFilename());
    if ('refused' in checked) {
      event.preventDefault();
      logger.warn({ reason: checked.refused }, 'download refused');
      return;
    }
    const ext = extname(checked.name).slice(1);
    item.setSaveDialogOptions({ defaultPath: freePath(downloadsDir(), checked.name), filters: [{ name: `${ext.toUpperCase()} files`, extensions: [ext] }] });
  });
};
