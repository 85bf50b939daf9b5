import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * One build for every process. The main config has several entries: the Electron shell (`index`),
 * the headless CLI (`cli`, never imports electron) and one entry per worker thread, so the
 * supervisor can start `out/main/workers/<stage>.js` by path.
 */
const __dirname = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          cli: resolve(__dirname, 'main/cli/index.ts'),
          'workers/extract': resolve(__dirname, 'workers/entries/extract.worker.ts'),
          'workers/transform': resolve(__dirname, 'workers/entries/transform.worker.ts'),
          'workers/load': resolve(__dirname, 'workers/entries/load.worker.ts'),
          'workers/vectorize': resolve(__dirname, 'workers/entries/vectorize.worker.ts'),
          // One-shot tasks (test connection, remote project lists...): main/engine/tasks.ts starts it by path.
          'workers/task': resolve(__dirname, 'workers/entries/task.worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages: bundle zod and the contract into it.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'main/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
    plugins: [react()],
  },
});
