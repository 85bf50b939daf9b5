import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { MAX_BUNDLE_PROBLEMS } from '../../../shared/contract/bundles';
import { bundleText, header, unitLine } from './fixture';
import { parseBundle, parseBundleText } from './parse';

const options = { fileName: 'export.sluice', maxBytes: 1024 * 1024 };

describe('parseBundle', () => {
  it('reads the header and every unit, with the payload as compact JSON and its size', async () => {
    const parsed = await parseBundleText(bundleText([unitLine(1), unitLine(2, { stream: 'changelogs', status: 'failed' })]), options);
    expect(parsed.header).toEqual(header());
    expect(parsed.units.map((u) => [u.summary.id, u.summary.stream, u.summary.status, u.line])).toEqual([
      [1, 'issues', 'loaded', 2],
      [2, 'changelogs', 'failed', 3],
    ]);
    const payload = JSON.stringify(unitLine(1).payload);
    expect(parsed.units[0]!.payload).toBe(payload);
    expect(parsed.units[0]!.summary).toMatchObject({ parentKey: 'ACME', payloadBytes: Buffer.byteLength(payload), attempts: null, error: null, replayOf: null });
    expect(parsed.problems).toEqual([]);
  });

  it('reports bad lines with their number and opens the rest', async () => {
    const text = bundleText([unitLine(1), '{"rawId": 2, "oops"', '', unitLine(3, { status: 'weird' as never }), JSON.stringify({ ...unitLine(4), payload: undefined }), unitLine(1), unitLine(5)]);
    const parsed = await parseBundleText(text, options);
    expect(parsed.units.map((u) => u.summary.id)).toEqual([1, 5]);
    expect(parsed.problemCount).toBe(4);
    expect(parsed.problems.map((p) => p.line)).toEqual([3, 5, 6, 7]);
    expect(parsed.problems[0]!.message).toMatch(/^not JSON/);
    expect(parsed.problems[1]!.message).toMatch(/^not a raw unit \(status: /);
    expect(parsed.problems[2]!.message).toMatch(/payload: /);
    expect(parsed.problems[3]!.message).toBe('unit 1 again (first on line 2); the first one is kept');
  });

  it('lists the first problems and counts all of them', async () => {
    const parsed = await parseBundleText(bundleText(Array.from({ length: MAX_BUNDLE_PROBLEMS + 20 }, () => 'nope')), options);
    expect(parsed.problems).toHaveLength(MAX_BUNDLE_PROBLEMS);
    expect(parsed.problemCount).toBe(MAX_BUNDLE_PROBLEMS + 20);
  });

  it('accepts CRLF line ends and a byte-order mark', async () => {
    const text = `\uFEFF${bundleText([unitLine(1), unitLine(2)]).replaceAll('\n', '\r\n')}`;
    const parsed = await parseBundleText(text, options);
    expect(parsed.units.map((u) => u.summary.id)).toEqual([1, 2]);
    expect(parsed.problems).toEqual([]);
  });

  it('refuses a file whose first line is not a bundle header, saying what to do', async () => {
    await expect(parseBundleText('', options)).rejects.toThrow('export.sluice is empty: a bundle starts with its header line.');
    await expect(parseBundleText('root:x:0:0:root:/root:/bin/bash\n', options)).rejects.toThrow(/export\.sluice is not a Sluice bundle: its first line is not JSON/);
    await expect(parseBundleText(`${JSON.stringify(unitLine(1))}\n`, options)).rejects.toThrow(/is not a Sluice bundle: its first line is not a bundle header \("format": "sluice-raw-bundle"\)/);
    await expect(parseBundleText(bundleText([], { ...header(), version: 2 }), options)).rejects.toThrow('export.sluice was written by a newer Sluice (bundle format 2); this one reads format 1. Update Sluice to open it.');
    await expect(parseBundleText(bundleText([], { ...header(), tenantId: -1 }), options)).rejects.toThrow(/has a broken bundle header \(tenantId: .*\); export it again/);
  });

  it('stops reading past the size cap, also when the size was not known up front', async () => {
    const big = bundleText(Array.from({ length: 200 }, (_, i) => unitLine(i + 1)));
    // Chunks, like an upload without Content-Length.
    const chunks = Readable.from(Array.from({ length: Math.ceil(big.length / 512) }, (_, i) => Buffer.from(big.slice(i * 512, (i + 1) * 512))));
    await expect(parseBundle(chunks, { fileName: 'big.sluice', maxBytes: 4096 })).rejects.toThrow('big.sluice is over the 4 KB Sluice opens; export fewer units (filter by run or stream) and open that.');
  });
});
