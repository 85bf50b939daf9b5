import type { MethodInput, MethodName, MethodOutput } from '../../../../shared/contract/api';
import { BUNDLE_EXTENSION, BUNDLE_MIME } from '../../../../shared/contract/bundles';
import type { RawFilter } from '../../../../shared/contract/raw';
import { downloadFile } from '../../components/download';

interface Caller {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

/**
 * Downloads the filtered units as a `.sluice` bundle (header line, then one unit per line): chunk
 * after chunk from `raw.export`, kept as Blob parts (never joined into one string), then one file.
 * `onProgress` gets the units so far.
 */
export async function exportBundle(client: Caller, filter: RawFilter, onProgress: (lines: number) => void, signal: { cancelled: boolean }): Promise<{ lines: number; filename: string } | null> {
  const parts: string[] = [];
  let cursor: string | undefined;
  let lines = 0;
  let filename = `sluice-raw${BUNDLE_EXTENSION}`;
  do {
    const chunk = await client.call('raw.export', { ...filter, ...(cursor ? { cursor } : {}) });
    if (signal.cancelled) return null;
    if (chunk.content) parts.push(chunk.content);
    lines += chunk.lines;
    filename = chunk.filename;
    onProgress(lines);
    cursor = chunk.nextCursor ?? undefined;
  } while (cursor);
  downloadFile(filename, parts, BUNDLE_MIME);
  return { lines, filename };
}
