import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot } from './supervisor-harness';

/**
 * Issue 11, packaging: electron-builder cannot run here (no Electron download), so its configuration
 * is checked the way electron-builder itself checks it — its own loader and its own JSON-schema
 * validation (app-builder-lib/scheme.json) — and every path it names must exist after
 * `npm run build`.
 */
const require_ = createRequire(import.meta.url);
interface BuilderConfig {
  appId: string;
  directories: { buildResources: string; output: string };
  /** Normalised by the loader to `[{ filter: [...] }]`. */
  files: { filter: string[] }[];
  extraResources: { from: string; to: string }[];
  npmRebuild: boolean;
  asarUnpack: string[];
  fileAssociations: { ext: string; name: string; icon: string; role: string }[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  mac: { target: { target: string; arch: string[] }[]; icon: string };
  win: { target: { target: string; arch: string[] }[]; icon: string };
}
const builder = require_('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};
const debugLogger = { isEnabled: false, add: () => undefined };

const load = () => builder.getConfig(repoRoot, join(repoRoot, 'electron-builder.yml'), null);
const at = (...parts: string[]) => join(repoRoot, ...parts);

/** The files under `dir`, recursively. */
const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(builder.validateConfiguration(await load(), debugLogger)).resolves.toBeUndefined();
  });

  it('is really validated: a misspelt option and a wrong type are refused', async () => {
    await expect(builder.validateConfiguration({ ...(await load()), fileAssociation: [{ ext: 'sluice' }] }, debugLogger)).rejects.toThrow(/fileAssociation/);
    await expect(builder.validateConfiguration({ ...(await load()), npmRebuild: 'yes' }, debugLogger)).rejects.toThrow(/npmRebuild/);
  });

  it('builds AppImage and deb, dmg for arm64 and x64, and NSIS, rebuilding the native module', async () => {
    const c = await load();
    expect(c.appId).toBe('dev.sluice.console');
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.mac.target).toEqual([{ target: 'dmg', arch: ['arm64', 'x64'] }]);
    expect(c.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(c.npmRebuild).toBe(true);
    const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
    // Only production dependencies are packaged and rebuilt for Electron's ABI.
    expect(Object.keys(pkg.dependencies)).toContain('better-sqlite3');
    expect(c.asarUnpack).toContain('node_modules/better-sqlite3/**');
    expect(c.fileAssociations).toEqual([expect.objectContaining({ ext: 'sluice', role: 'Viewer', icon: 'sluice-file' })]);
    // Electron security checklist: no run-as-node, no NODE_OPTIONS or --inspect, only the packaged asar.
    expect(c.electronFuses).toEqual({ runAsNode: false, enableCookieEncryption: true, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true });
  });

  it('names only paths that exist: icons, extra resources, and the build (main, preload, renderer, migrations)', async () => {
    const c = await load();
    const resources = at(c.directories.buildResources);
    const png = (path: string) => {
      const data = readFileSync(path);
      expect(data.subarray(0, 8).toString('hex'), path).toBe('89504e470d0a1a0a');
      return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
    };
    expect(png(join(resources, c.linux.icon))).toEqual({ width: 512, height: 512 });
    expect(readFileSync(join(resources, c.mac.icon)).subarray(0, 4).toString('ascii')).toBe('icns');
    expect(readFileSync(join(resources, c.win.icon)).readUInt16LE(2)).toBe(1); // ICO type 1
    // A file association icon is named without extension: each platform adds its own.
    for (const ext of ['png', 'icns', 'ico']) expect(existsSync(join(resources, `${c.fileAssociations[0]!.icon}.${ext}`)), ext).toBe(true);
    for (const r of c.extraResources) expect(existsSync(at(r.from)), r.from).toBe(true);

    const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8')) as { main: string };
    const missingBuild = 'run `npm run build` first: the packaging test checks the build electron-builder would package';
    expect(existsSync(at(pkg.main)), missingBuild).toBe(true);
    expect(existsSync(at('out', 'preload', 'index.cjs')), missingBuild).toBe(true);
    expect(existsSync(at('out', 'renderer', 'index.html')), missingBuild).toBe(true);
    expect(c.files.flatMap((f) => f.filter)).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    // The migrations are bundled into the main build (and the desktop applies them before its engine starts).
    const bundled = walk(at('out', 'main')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(f, 'utf8')).join('\n');
    const migrations = readdirSync(at('migrations', 'postgres')).filter((f) => f.endsWith('.sql'));
    expect(migrations.length).toBeGreaterThan(5);
    for (const m of migrations) expect(bundled.includes(m), `${m} is in the build`).toBe(true);
    // The build is not older than the migrations it should contain.
    const newest = Math.max(...migrations.map((m) => statSync(at('migrations', 'postgres', m)).mtimeMs));
    expect(statSync(at(pkg.main)).mtimeMs, missingBuild).toBeGreaterThanOrEqual(newest - 1);
  });
});
