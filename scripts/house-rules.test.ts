// The import boundaries of eslint.config.js fire on the imports they forbid and stay quiet on the ones they allow.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.js') });

/** The boundary errors ESLint reports for `import ... from '<specifier>'` in a file at `file` (from the repository root). */
async function crossings(file: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`export * from '${specifier}';\n`, { filePath: path.join(root, file) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'house/boundaries').map((m) => m.message);
}

const cases: { rule: string; file: string; denied: string[]; allowed: string[] }[] = [
  {
    rule: 'services do not import http/, routes/ or channel/',
    file: 'backend/src/services/devices/example.ts',
    denied: ['../../http/route', '../../routes/index', '../../channel/hub', '../../http'],
    allowed: ['../identity/rights', '../../errors', '../../db/schema', './read', 'node:crypto', 'drizzle-orm'],
  },
  { rule: 'services at the top of services/ too', file: 'backend/src/services/page.ts', denied: ['../http/route'], allowed: ['./identity/rights'] },
  {
    rule: 'the agent does not import the backend',
    file: 'agent/src/transport/example.ts',
    denied: ['../../../backend/src/config', '../../../backend/src/testing/live', '@fixpoint/backend', '@fixpoint/backend/src/errors'],
    allowed: ['@fixpoint/protocol', '../state/store', 'ws', 'node:fs'],
  },
  { rule: 'the tray client does not import the backend', file: 'tray-client/src/example.ts', denied: ['../../backend/src/errors'], allowed: ['@fixpoint/protocol'] },
  { rule: 'the extension does not import the backend', file: 'extension/components/Example.tsx', denied: ['../../backend/src/errors'], allowed: ['./launcher-api'] },
  { rule: 'the launcher does not import the backend', file: 'launcher/src/example.ts', denied: ['../../backend/src/http/route'], allowed: ['@fixpoint/protocol'] },
  { rule: 'the console does not import the backend', file: 'console/src/example.ts', denied: ['../../backend/src/services/actions'], allowed: ['@fixpoint/protocol'] },
  { rule: 'the console neither, however deep', file: 'console/src/editor/example.ts', denied: ['../../../backend/src/errors', '@fixpoint/backend'], allowed: ['./codemirror', '@fixpoint/launcher'] },
  {
    rule: 'tests of other parts may use the backend test harness only',
    file: 'extension/e2e/example.test.ts',
    denied: ['../../backend/src/services/actions', '../../backend/src/app'],
    allowed: ['../../backend/src/testing/live', '../../backend/src/testing/agent-process'],
  },
  { rule: 'agent tests likewise', file: 'agent/library/example.test.ts', denied: ['../../backend/src/config'], allowed: ['../../backend/src/testing/harness'] },
  {
    rule: "the console's browser tests may seed through services",
    file: 'console/e2e/seed.ts',
    denied: [],
    allowed: ['../../backend/src/services/executions', '../../backend/src/server'],
  },
  {
    rule: 'protocol imports only zod and its own files',
    file: 'protocol/src/example.ts',
    denied: ['node:crypto', 'hono', 'drizzle-orm', 'vitest', '@fixpoint/backend', '../../backend/src/errors', '../../agent/src/log', 'yaml'],
    allowed: ['zod', 'zod/v4', './campaigns', '../package.json'],
  },
  {
    rule: 'protocol/src/node imports only zod, node:crypto and its own files',
    file: 'protocol/src/node/example.ts',
    denied: ['node:fs', 'ws', '../../../agent/src/log'],
    allowed: ['node:crypto', 'zod', '../tray-ipc'],
  },
  { rule: 'protocol tests may also import vitest', file: 'protocol/src/example.test.ts', denied: ['node:fs', 'hono'], allowed: ['vitest', 'zod', './query'] },
];

describe('house import boundaries', () => {
  for (const c of cases) {
    it(c.rule, async () => {
      for (const specifier of c.denied) expect(await crossings(c.file, specifier), `${c.file} → ${specifier}`).toHaveLength(1);
      for (const specifier of c.allowed) expect(await crossings(c.file, specifier), `${c.file} → ${specifier}`).toEqual([]);
    });
  }

  it('judges import forms other than `import ... from`', async () => {
    const code = [
      "import '../../http/route';",
      "export { route } from '../../http/route';",
      "export const load = () => import('../../routes/index');",
      "export type T = import('../../channel/hub').Hub;",
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: path.join(root, 'backend/src/services/devices/forms.ts') });
    expect(result!.messages.filter((m) => m.ruleId === 'house/boundaries')).toHaveLength(4);
  });
});
