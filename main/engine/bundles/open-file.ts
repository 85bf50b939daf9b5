import { createReadStream } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';

import { BUNDLE_EXTENSION, MAX_BUNDLE_FILE_BYTES, type BundleInfo } from '../../../shared/contract/bundles';
import { BundleError, parseBundle, tooBig } from './parse';
import type { BundleStore } from './store';

/**
 * Opening a bundle from a path this machine was given (the OS: double-click / argv / second
 * instance; the native dialog; `sluice open`). The page never names a path: these come from main or
 * the CLI only. Checked before a byte is read: absolute, a regular file (after following links, so a
 * `x.sluice` link to /etc/shadow is refused), `.sluice` on both the name and the target, under the
 * size cap; then streamed through the parser.
 */

export const MAX_PATH_LENGTH = 4096;

export interface CheckedPath {
  readonly path: string;
  readonly fileName: string;
  readonly size: number;
}

const hasBundleExtension = (path: string): boolean => path.toLowerCase().endsWith(BUNDLE_EXTENSION);

export const checkBundlePath = async (path: string, maxBytes = MAX_BUNDLE_FILE_BYTES): Promise<CheckedPath> => {
  if (typeof path !== 'string' || path === '' || path.length > MAX_PATH_LENGTH || path.includes('\0')) throw new BundleError('That is not a usable file path.');
  if (!isAbsolute(path)) throw new BundleError(`"${path}" is not an absolute path; Sluice opens bundles by their full path.`);
  const fileName = basename(path);
  if (!hasBundleExtension(path)) throw new BundleError(`${fileName} is not a Sluice bundle (a ${BUNDLE_EXTENSION} file exported from the raw inspector).`);
  try {
    await lstat(path);
  } catch {
    throw new BundleError(`${fileName} does not exist (any more) at ${path}.`);
  }
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new BundleError(`${fileName} points at a file that does not exist.`);
  }
  if (!hasBundleExtension(real)) throw new BundleError(`${fileName} is a link to something that is not a ${BUNDLE_EXTENSION} bundle; open the bundle itself.`);
  const info = await stat(real);
  if (!info.isFile()) throw new BundleError(`${fileName} is not a regular file (a folder, device or pipe); open a ${BUNDLE_EXTENSION} file.`);
  if (info.size > maxBytes) throw new BundleError(tooBig(fileName, maxBytes, info.size));
  return { path: real, fileName, size: info.size };
};

export const openBundleFile = async (store: BundleStore, path: string, options: { reveal: boolean; maxBytes?: number }): Promise<BundleInfo> => {
  const maxBytes = options.maxBytes ?? MAX_BUNDLE_FILE_BYTES;
  const checked = await checkBundlePath(path, maxBytes);
  // The cap again while reading: the file may grow between stat and read.
  const parsed = await parseBundle(createReadStream(checked.path), { fileName: checked.fileName, maxBytes });
  return store.add(parsed, { fileName: checked.fileName, openedBy: 'file', owner: null, reveal: options.reveal });
};
