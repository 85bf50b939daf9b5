import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * Proves the import rules of DESIGN.md section 2 bite: each case lints a small snippet as if it
 * lived at the given path, and must fail (or pass) for the stated reason.
 */
const eslint = new ESLint({ cwd: process.cwd() });

const ruleIds = async (filePath: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
};

describe('import boundaries', () => {
  it.each([
    ['renderer/src/bad.ts', "import pg from 'pg';\nexport const x = pg;\n", 'no-restricted-imports'],
    ['renderer/src/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'no-restricted-imports'],
    ['renderer/src/bad.ts', "import { app } from 'electron';\nexport const x = app;\n", 'no-restricted-imports'],
    ['workers/load/bad.ts', "import { app } from 'electron';\nexport const x = app;\n", 'no-restricted-imports'],
    ['main/engine/bad.ts', "import { app } from 'electron';\nexport const x = app;\n", 'no-restricted-imports'],
    ['shared/lib/bad.ts', "import { join } from 'node:path';\nexport const x = join;\n", 'no-restricted-imports'],
    ['renderer/src/bad.ts', "import { createEngine } from '../../main/engine/engine';\nexport const x = createEngine;\n", 'import-x/no-restricted-paths'],
    ['workers/runtime/bad.ts', "import { loadConfig } from '../../main/engine/config';\nexport const x = loadConfig;\n", 'import-x/no-restricted-paths'],
    ['main/engine/bad.ts', "import { runWorker } from '../../workers/runtime/bootstrap';\nexport const x = runWorker;\n", 'import-x/no-restricted-paths'],
    ['shared/lib/bad.ts', "import { loadConfig } from '../../main/engine/config';\nexport const x = loadConfig;\n", 'import-x/no-restricted-paths'],
    ['workers/connectors/jira/transform/bad.ts', "import pg from 'pg';\nexport const x = pg;\n", 'no-restricted-imports'],
    ['workers/connectors/github/transform/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'no-restricted-imports'],
    ['workers/connectors/jira/transform/bad.ts', "import { sourceRequest } from '../../http/request';\nexport const x = sourceRequest;\n", 'import-x/no-restricted-paths'],
    ['workers/connectors/jira/transform/bad.ts', "import { loadJira } from '../load';\nexport const x = loadJira;\n", 'import-x/no-restricted-paths'],
  ])('%s importing a forbidden module fails lint (%#)', async (filePath, code, rule) => {
    expect(await ruleIds(filePath, code)).toContain(rule);
  });

  it.each([
    ['renderer/src/ok.ts', "import { methods } from '../../shared/contract/api';\nexport const x = methods;\n"],
    ['workers/load/ok.ts', "import pg from 'pg';\nimport { Stage } from '../../shared/worker-protocol/protocol';\nexport const x = [pg, Stage];\n"],
    ['main/app/ok.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['main/engine/ok.ts', "import pg from 'pg';\nexport const x = pg;\n"],
    ['workers/connectors/jira/transform/ok.ts', "import { z } from 'zod';\nimport { PermanentError } from '../../../queue/errors';\nimport type { TransformOutput } from '../../../pipeline/connector';\nexport const x = [z, PermanentError];\nexport type Y = TransformOutput;\n"],
  ])('%s with allowed imports passes the boundary rules (%#)', async (filePath, code) => {
    const ids = await ruleIds(filePath, code);
    expect(ids.filter((id) => id === 'no-restricted-imports' || id === 'import-x/no-restricted-paths')).toEqual([]);
  });
});
