/**
 * @module The first global setup of every project that has others: starts the preparations of all the projects this
 * run has files of (the PGlite template, the console and extension builds, the Windows runtime) at once, instead of
 * one project's after the other's as vitest calls the setups. Each setup file exports `prepare()`, kept once per run
 * (`prepared.ts`); the project's own setup then only waits for work that is already under way. The builds run in
 * child processes, so they overlap with the template, which PGlite builds in this process.
 */
import type { TestProject } from 'vitest/node';

const self = new URL(import.meta.url).pathname;

/** The projects with files in this run; vitest records the run's files before it calls the first global setup. */
function projectsOfRun(project: TestProject): TestProject[] {
  const paths = (project.vitest.state as unknown as { pathsSet?: Set<string> }).pathsSet;
  if (!paths?.size) return [project]; // not known in this vitest version: each project prepares when its turn comes
  return project.vitest.projects.filter((p) => [...paths].some((file) => p.matchesTestGlob(file)));
}

export default async function setup(project: TestProject): Promise<void> {
  const files = new Set(projectsOfRun(project).flatMap((p) => p.config.globalSetup).filter((file) => file !== self));
  // the template last: the builds start their child processes first, then PGlite works here while they run
  const ordered = [...files].sort((a, b) => Number(a.endsWith('pglite-template.global.ts')) - Number(b.endsWith('pglite-template.global.ts')));
  const modules = await Promise.all(ordered.map((file) => import(/* @vite-ignore */ file) as Promise<{ prepare?: () => Promise<unknown> }>));
  // started, not awaited: each project's own setup awaits its part, and reports a failure there
  for (const setupModule of modules) setupModule.prepare?.().catch(() => {});
}
