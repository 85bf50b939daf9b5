import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';

import { BUNDLE_EXTENSION } from '../../../../shared/contract/bundles';
import { uploadBundle } from '../../api/bundle-upload';
import { useAppStore, useClient } from '../../app/context';
import { useCan } from '../../app/use-can';
import { describeError } from '../../store/describe-error';

/**
 * "Open bundle…": on the desktop the native file dialog (`bundle.pick`, the path never enters the
 * page); in the browser a file picker whose file is uploaded to `sluice serve`. Either way the
 * inspector then shows the bundle; a refusal (not a bundle, too big) becomes a toast that says why.
 */
export function OpenBundleButton() {
  const client = useClient();
  const navigate = useNavigate();
  const pushToast = useAppStore((s) => s.pushToast);
  const canOpen = useCan('bundle.pick');
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  if (!canOpen) return null;

  const opened = (id: string): void => void navigate(`/raw/bundle/${id}`);
  const fail = (error: unknown): void => pushToast({ tone: 'error', title: 'The bundle did not open', message: describeError(error) });

  const pick = async (): Promise<void> => {
    if (client.transportKind !== 'desktop') {
      input.current?.click();
      return;
    }
    setBusy(true);
    try {
      const { bundle } = await client.call('bundle.pick', {});
      if (bundle) opened(bundle.id);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const upload = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setBusy(true);
    try {
      opened((await uploadBundle((url, init) => window.fetch(url, init), file, file.name)).id);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <>
      <button type="button" className="button" onClick={() => void pick()} disabled={busy} data-testid="bundle-open">
        {busy ? 'Opening…' : 'Open bundle…'}
      </button>
      <input ref={input} type="file" accept={BUNDLE_EXTENSION} className="visually-hidden" tabIndex={-1} aria-label="Bundle file" onChange={(e) => void upload(e.target.files?.[0])} data-testid="bundle-file" />
    </>
  );
}
