/**
 * @module Vitest global setup of the projects that open embedded databases: the migrated PGlite template (see
 * `pglite-template.ts`), built once and kept in .cache/test/ until the migrations, the database code or PGlite change
 * (`prepared.ts`: a content hash of those inputs names the folder). Vitest runs a project's global setup only when the
 * run has files of that project, so `vitest run protocol` does not pay for it. Test processes find the template through
 * FIXPOINT_TEST_PGLITE_TEMPLATE, which workers inherit from this process when they start; they copy it, never write it.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildPgliteTemplate, templateEnv } from './pglite-template';
import { cacheDir, forget, inputsHash, once, repoRoot } from './prepared';

const prefix = 'pglite-template-';
/** Templates of other inputs (an older branch's) are kept this long, then removed by the next build. */
const keepOthersMs = 24 * 3600_000;

/** The template folder for the current inputs, built when missing. */
export function prepare(): Promise<string> {
  return once('pglite-template', async () => {
    const inputs = ['backend/src/db', 'backend/drizzle', 'backend/src/testing/pglite-template.ts', 'node_modules/@electric-sql/pglite/package.json'];
    const dir = join(cacheDir, `${prefix}${inputsHash(inputs.map((p) => join(repoRoot, p))).slice(0, 16)}`);
    if (existsSync(join(dir, 'data.tar')) && existsSync(join(dir, 'pgdata'))) return dir;
    mkdirSync(cacheDir, { recursive: true });
    // built beside it and renamed, so a run that stops halfway (or a second run at the same time) never sees half a template
    const building = `${dir}.${process.pid}.tmp`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building);
    await buildPgliteTemplate(building);
    try {
      renameSync(building, dir);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another run finished the same template first
    }
    for (const other of readdirSync(cacheDir))
      if (other.startsWith(prefix) && join(cacheDir, other) !== dir && Date.now() - statSync(join(cacheDir, other)).mtimeMs > keepOthersMs)
        rmSync(join(cacheDir, other), { recursive: true, force: true });
    return dir;
  });
}

export default async function setup(): Promise<() => void> {
  process.env[templateEnv] = await prepare();
  return () => forget('pglite-template'); // a rerun in watch mode looks at the inputs again
}
