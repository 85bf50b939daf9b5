import { describe, expect, it } from 'vitest';

import { BUNDLE_NAME_HEADER, BUNDLE_UPLOAD_PATH, MAX_BUNDLE_UPLOAD_BYTES, type BundleInfo } from '../../../shared/contract/bundles';
import { CLIENT_HEADER } from '../../../shared/contract/wire';

import { uploadBundle, type UploadFetch } from './bundle-upload';

const info: BundleInfo = {
  id: '3f0c2a8e-9b1d-4c5e-8f7a-1b2c3d4e5f60',
  fileName: 'Run 7.sluice',
  bytes: 10,
  units: 1,
  header: { format: 'sluice-raw-bundle', version: 1, tenantId: 1, integration: null, filter: {}, exportedAt: '2026-12-01T00:00:00.000Z', source: 'postgres' },
  problems: [],
  problemCount: 0,
  streams: [{ step: 'issues', stream: 'issues', units: 1 }],
  openedAt: '2026-12-01T00:00:00.000Z',
  openedBy: 'upload',
};

const answering = (status: number, body: unknown, seen: Parameters<UploadFetch>[] = []): UploadFetch => (...args) => {
  seen.push(args);
  return Promise.resolve({ status, text: () => Promise.resolve(typeof body === 'string' ? body : JSON.stringify(body)) });
};

describe('uploadBundle', () => {
  it('posts the file with its encoded name and the CSRF header, and returns the checked bundle', async () => {
    const seen: Parameters<UploadFetch>[] = [];
    const file = new Blob(['{"format":"sluice-raw-bundle"}\n']);
    await expect(uploadBundle(answering(200, { ok: true, result: info }, seen), file, 'Run 7.sluice')).resolves.toEqual(info);
    expect(seen[0]![0]).toBe(BUNDLE_UPLOAD_PATH);
    expect(seen[0]![1]).toMatchObject({ method: 'POST', body: file, credentials: 'same-origin', headers: { [CLIENT_HEADER]: '1', [BUNDLE_NAME_HEADER]: 'Run%207.sluice', 'content-type': 'application/octet-stream' } });
  });

  it('turns refusals, foreign answers and network failures into errors that say what to do', async () => {
    const file = new Blob(['x']);
    await expect(uploadBundle(answering(400, { ok: false, error: { code: 'bad_request', message: 'x.sluice is not a Sluice bundle' } }), file, 'x.sluice')).rejects.toMatchObject({ code: 'bad_request', message: 'x.sluice is not a Sluice bundle' });
    await expect(uploadBundle(answering(502, '<html>Bad gateway</html>'), file, 'x.sluice')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/HTTP 502 but no Sluice result/) });
    await expect(uploadBundle(answering(200, { ok: true, result: { id: 'nope' } }), file, 'x.sluice')).rejects.toMatchObject({ code: 'internal' });
    await expect(uploadBundle(() => Promise.reject(new Error('connection refused')), file, 'x.sluice')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/connection refused/) });
  });

  it('refuses a file over the upload cap without sending it', async () => {
    const seen: Parameters<UploadFetch>[] = [];
    const big = { size: MAX_BUNDLE_UPLOAD_BYTES + 1 } as Blob;
    await expect(uploadBundle(answering(200, {}, seen), big, 'big.sluice')).rejects.toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/^big\.sluice is over the 64 MB/) });
    expect(seen).toEqual([]);
  });
});
