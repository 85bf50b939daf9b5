import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it, vi } from 'vitest';

import { bundleText, unitLine } from '../engine/bundles/fixture';
import { BundleStore } from '../engine/bundles/store';
import { silentLogger } from '../engine/logger';
import { app, dialog, FakeEvent, resetFakeElectron } from '../testing/fake-electron';
import { bundlePathsIn, setupBundleOpening, showOpenBundleDialog } from './bundle-open';

vi.mock('electron', () => import('../testing/fake-electron'));

let dir: string;
let store: BundleStore;
let shown: number;

beforeEach(() => {
  resetFakeElectron();
  dir = mkdtempSync(join(tmpdir(), 'sluice-os-open-'));
  writeFileSync(join(dir, 'run.sluice'), bundleText([unitLine(1), unitLine(2)]));
  store = new BundleStore();
  shown = 0;
});

const ready = (opening: ReturnType<typeof setupBundleOpening>, argv: string[] = ['sluice'], cwd = '/') =>
  opening.ready({ store, logger: silentLogger(), showWindow: () => (shown += 1), argv, cwd });

const openNames = () => store.visibleTo('anyone').map((b) => b.info.fileName);

describe('bundlePathsIn', () => {
  it('takes the .sluice arguments after the executable, made absolute, and skips flags', () => {
    expect(bundlePathsIn(['/opt/Sluice/sluice', '--inspect', 'a.sluice', '/data/B.SLUICE', 'notes.txt', '--x=y.sluice'], '/home/ann')).toEqual(['/home/ann/a.sluice', '/data/B.SLUICE']);
    // The executable itself is never a bundle, whatever it is called.
    expect(bundlePathsIn(['/tmp/evil.sluice'], '/')).toEqual([]);
  });
});

describe('opening bundles the OS hands over', () => {
  it('keeps a macOS open-file that arrives before ready and opens it once the app is up', async () => {
    const opening = setupBundleOpening();
    const event = new FakeEvent();
    app.emit('open-file', event, join(dir, 'run.sluice'));
    expect(event.defaultPrevented).toBe(true);
    expect(openNames()).toEqual([]);
    ready(opening);
    await vi.waitFor(() => expect(openNames()).toEqual(['run.sluice']));
    expect(shown).toBe(1);
    expect(store.claimReveal('anyone', true)).not.toBeNull();
  });

  it('opens the bundle named in the first launch argv (Windows, Linux)', async () => {
    ready(setupBundleOpening(), ['/opt/Sluice/sluice', 'run.sluice'], dir);
    await vi.waitFor(() => expect(openNames()).toEqual(['run.sluice']));
  });

  it('opens a bundle of a second launch, relative to that launch’s working directory', async () => {
    ready(setupBundleOpening());
    app.emit('second-instance', new FakeEvent(), ['/opt/Sluice/sluice', './run.sluice'], dir);
    await vi.waitFor(() => expect(openNames()).toEqual(['run.sluice']));
    expect(shown).toBe(1);
  });

  it('explains a refused file in a dialog and opens nothing', async () => {
    writeFileSync(join(dir, 'fake.sluice'), 'not a bundle\n');
    ready(setupBundleOpening(), ['sluice', join(dir, 'fake.sluice'), join(dir, 'missing.sluice')]);
    await vi.waitFor(() => expect(dialog.errorBoxes).toHaveLength(2));
    expect(dialog.errorBoxes.map((b) => b.title)).toEqual(['Sluice cannot open this bundle', 'Sluice cannot open this bundle']);
    expect(dialog.errorBoxes.map((b) => b.content).sort()).toEqual([expect.stringMatching(/^fake\.sluice is not a Sluice bundle/), `missing.sluice does not exist (any more) at ${join(dir, 'missing.sluice')}.`]);
    expect(openNames()).toEqual([]);
    expect(shown).toBe(0);
  });
});

describe('the Open bundle… dialog', () => {
  it('asks for one .sluice file and answers its path, or null when cancelled', async () => {
    await expect(showOpenBundleDialog()).resolves.toBeNull();
    expect(dialog.openDialogs[0]).toMatchObject({ properties: ['openFile'], filters: [{ name: 'Sluice raw bundle', extensions: ['sluice'] }] });
    dialog.nextOpen = { canceled: false, filePaths: ['/data/run.sluice'] };
    await expect(showOpenBundleDialog()).resolves.toBe('/data/run.sluice');
  });
});
