/**
 * @module Vitest global setup of the projects that open embedded databases: builds the migrated PGlite template
 * (see `pglite-template.ts`) once per run, and removes it when the run ends. Vitest runs a project's global setup only
 * when the run has files of that project, so `vitest run protocol` does not pay for it. Test processes find the
 * template through FIXPOINT_TEST_PGLITE_TEMPLATE, which workers inherit from this process when they start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPgliteTemplate, templateEnv } from './pglite-template';

// Several projects load this file, each as a module of its own; the one template is shared through the global object.
interface Shared {
  dir: Promise<string>;
  users: number;
}
const holder = globalThis as { fixpointPgliteTemplate?: Shared };

export default async function setup(): Promise<() => Promise<void>> {
  const shared = (holder.fixpointPgliteTemplate ??= {
    users: 0,
    dir: (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fixpoint-pglite-template-'));
      await buildPgliteTemplate(dir);
      return dir;
    })(),
  });
  shared.users++;
  process.env[templateEnv] = await shared.dir;
  return async () => {
    if (--shared.users > 0) return;
    rmSync(await shared.dir, { recursive: true, force: true });
    delete process.env[templateEnv];
    delete holder.fixpointPgliteTemplate;
  };
}
