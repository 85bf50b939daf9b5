import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/**
 * How payloads are stored in the cache. Small pages (under COMPRESS_FROM bytes) stay plain: brotli
 * saves little on a few hundred bytes and a plain row can be read without any CPU. Larger pages are
 * brotli-compressed at quality 5: on Jira search pages (repetitive JSON) it measured ~3 ms for a
 * 600 KB page with a far better ratio than gzip -6 (which was slower to inflate), so a 2 GiB budget
 * holds many more pages of history. Quality 11 (the default) is ~50x slower and not worth it for a cache.
 */
export const COMPRESS_FROM = 4 * 1024;

export type PayloadEncoding = 'identity' | 'br';

export interface EncodedPayload {
  readonly encoding: PayloadEncoding;
  readonly data: Buffer;
  /** UTF-8 size of the JSON text before compression. */
  readonly payloadBytes: number;
}

export const encodePayload = (json: string): EncodedPayload => {
  const plain = Buffer.from(json, 'utf8');
  if (plain.length < COMPRESS_FROM) return { encoding: 'identity', data: plain, payloadBytes: plain.length };
  const packed = brotliCompressSync(plain, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
    },
  });
  // Random or already-compressed content can grow; keep whichever is smaller.
  return packed.length < plain.length ? { encoding: 'br', data: packed, payloadBytes: plain.length } : { encoding: 'identity', data: plain, payloadBytes: plain.length };
};

export const decodePayload = (encoding: string, data: Buffer): string => {
  if (encoding === 'identity') return data.toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(data).toString('utf8');
  throw new Error(`Unknown payload encoding "${encoding}" in the raw cache: it was written by a newer Sluice; delete the cache file to rebuild it.`);
};
