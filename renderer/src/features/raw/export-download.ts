import type { MethodInput, MethodName, MethodOutput } from '../../../../shared/contract/api';
import type { RawFilter } from '../../../../shared/contract/raw';

interface Caller {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

/**
 * Downloads the filtered units as NDJSON: chunk after chunk from `raw.export`, kept as Blob parts
 * (never joined into one string), then one file. `onProgress` gets the lines so far.
 */
export async function exportNdjson(client: Caller, filter: RawFilter, onProgress: (lines: number) => void, signal: { cancelled: boolean }): Promise<{ lines: number; filename: string } | null> {
  const parts: string[] = [];
  let cursor: string | undefined;
  let lines = 0;
  let filename = 'sluice-raw.ndjson';
  do {
    const chunk = await client.call('raw.export', { ...filter, ...(cursor ? { cursor } : {}) });
    if (signal.cancelled) return null;
    if (chunk.content) parts.push(chunk.content);
    lines += chunk.lines;
    filename = chunk.filename;
    onProgress(lines);
    cursor = chunk.nextCursor ?? undefined;
  } while (cursor);
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/x-ndjson' }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // The click has handed the blob to the download; free it after the browser took it.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return { lines, filename };
}
