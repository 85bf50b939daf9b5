import { createInterface } from 'node:readline';
import { Readable, Transform } from 'node:stream';

import { BUNDLE_FORMAT, BUNDLE_VERSION, BundleHeader, BundleLine, MAX_BUNDLE_PROBLEMS, type BundleProblem } from '../../../shared/contract/bundles';
import type { RawUnitSummary } from '../../../shared/contract/raw';

/**
 * Reads a `.sluice` bundle line by line (node:readline over a stream, so a 256 MB file is never one
 * string): line 1 must be a valid header or the file is refused; every other line is checked
 * against BundleLine, and a bad one is reported with its number and skipped, not fatal to the rest.
 */

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

export interface BundleUnit {
  readonly summary: RawUnitSummary;
  /** The payload as compact JSON text (what the viewer parses and the search scans). */
  readonly payload: string;
  readonly line: number;
}

export interface ParsedBundle {
  readonly header: BundleHeader;
  readonly units: BundleUnit[];
  readonly problems: BundleProblem[];
  readonly problemCount: number;
  readonly bytes: number;
}

const issueText = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(line)'}: ${i.message}`)
    .join('; ');

const jsonOf = (text: string): { ok: true; value: unknown } | { ok: false; message: string } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
};

/** Checks line 1; throws a BundleError that says what the file is instead. */
export const parseHeader = (text: string, fileName: string): BundleHeader => {
  const json = jsonOf(text.replace(/^\uFEFF/, ''));
  const notBundle = `${fileName} is not a Sluice bundle`;
  if (!json.ok) throw new BundleError(`${notBundle}: its first line is not JSON (${json.message}). Export a bundle from the raw inspector or \`sluice raw export\`.`);
  const value = json.value as { format?: unknown; version?: unknown };
  if (typeof value !== 'object' || value === null || value.format !== BUNDLE_FORMAT) {
    throw new BundleError(`${notBundle}: its first line is not a bundle header ("format": "${BUNDLE_FORMAT}"). Export a bundle from the raw inspector or \`sluice raw export\`.`);
  }
  if (typeof value.version === 'number' && value.version > BUNDLE_VERSION) {
    throw new BundleError(`${fileName} was written by a newer Sluice (bundle format ${value.version}); this one reads format ${BUNDLE_VERSION}. Update Sluice to open it.`);
  }
  const header = BundleHeader.safeParse(value);
  if (!header.success) throw new BundleError(`${fileName} has a broken bundle header (${issueText(header.error)}); export it again.`);
  return header.data;
};

const summaryOf = (line: BundleLine, payloadBytes: number): RawUnitSummary => ({
  id: line.rawId,
  integrationId: line.integrationId,
  runId: line.runId,
  step: line.step,
  stream: line.stream,
  parentKey: line.parentKey ?? line.partition,
  requestUrl: line.requestUrl,
  status: line.status,
  recordCount: line.recordCount,
  payloadBytes,
  attempts: null,
  reprocessCount: null,
  error: null,
  replayOf: null,
  createdAt: line.createdAt,
});

/** Counts bytes as they pass and fails the stream past `maxBytes` (an upload has no size up front). */
const byteCap = (maxBytes: number, fileName: string, seen: { bytes: number }): Transform =>
  new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen.bytes += chunk.length;
      if (seen.bytes > maxBytes) callback(new BundleError(tooBig(fileName, maxBytes)));
      else callback(null, chunk);
    },
  });

const sizeText = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** The one message of a bundle over the cap (`bytes`: its size, when known up front). */
export const tooBig = (fileName: string, maxBytes: number, bytes?: number): string =>
  `${fileName} is over the ${sizeText(maxBytes)} Sluice opens${bytes === undefined ? '' : ` (${sizeText(bytes)})`}; export fewer units (filter by run or stream) and open that.`;

export interface ParseOptions {
  readonly fileName: string;
  readonly maxBytes: number;
  /**
   * An HTTP request body is left to the server once parsing stops (it still has to answer on that
   * socket, and drains or closes it); anything else (a file) is destroyed. Default false.
   */
  readonly leaveSourceOpen?: boolean;
}

export const parseBundle = async (input: Readable, options: ParseOptions): Promise<ParsedBundle> => {
  const seen = { bytes: 0 };
  const capped = input.pipe(byteCap(options.maxBytes, options.fileName, seen));
  // An error of the source (a read error) must reach the reader too.
  input.once('error', (error) => capped.destroy(error));
  const lines = createInterface({ input: capped, crlfDelay: Infinity });
  let header: BundleHeader | null = null;
  const units: BundleUnit[] = [];
  const firstLineOf = new Map<number, number>();
  const problems: BundleProblem[] = [];
  let problemCount = 0;
  const problem = (line: number, message: string): void => {
    problemCount += 1;
    if (problems.length < MAX_BUNDLE_PROBLEMS) problems.push({ line, message });
  };
  let n = 0;
  try {
    for await (const text of lines) {
      n += 1;
      if (header === null) {
        header = parseHeader(text, options.fileName);
        continue;
      }
      if (text.trim() === '') continue;
      const json = jsonOf(text);
      if (!json.ok) {
        problem(n, `not JSON (${json.message})`);
        continue;
      }
      const parsed = BundleLine.safeParse(json.value);
      if (!parsed.success) {
        problem(n, `not a raw unit (${issueText(parsed.error)})`);
        continue;
      }
      const first = firstLineOf.get(parsed.data.rawId);
      if (first !== undefined) {
        problem(n, `unit ${parsed.data.rawId} again (first on line ${first}); the first one is kept`);
        continue;
      }
      firstLineOf.set(parsed.data.rawId, n);
      const payload = JSON.stringify(parsed.data.payload);
      units.push({ summary: summaryOf(parsed.data, Buffer.byteLength(payload)), payload, line: n });
    }
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError(`${options.fileName} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    lines.close();
    if (options.leaveSourceOpen) input.unpipe();
    else input.destroy();
  }
  if (header === null) throw new BundleError(`${options.fileName} is empty: a bundle starts with its header line.`);
  return { header, units, problems, problemCount, bytes: seen.bytes };
};

/** The same parse over text in memory (tests, small uploads). */
export const parseBundleText = (text: string | Buffer, options: ParseOptions): Promise<ParsedBundle> =>
  parseBundle(Readable.from([typeof text === 'string' ? Buffer.from(text) : text]), options);
