#!/usr/bin/env node
// Thin launcher: the CLI is built by electron-vite into out/main/cli.js (npm run build).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error('sluice: the build is missing (out/main/cli.js). Run `npm run build` in ' + root + ' first.');
  process.exit(2);
}
await import(pathToFileURL(cli).href);
