// vitest's `sequence.sequencer` (vitest.config.ts): one queue for all projects, longest file first.
// vitest's own order runs the projects one after another (by name) and, within each, the files longest first only once
// its cache knows them (never on a fresh clone), so a long browser or Wine file could start last and run alone on one
// core for a minute while the other sat idle. Here the files of every project are queued together, longest first by
// scripts/test-durations.json (each file's total, setup included; `npm run test:timings -- --write-durations` renews it),
// so the workers finish close together. A file missing there (a new one) goes first, as vitest does with unknown files.
// Files of projects that share a worker between files (`isolate: false`) are queued as one block per project and
// environment, longest first inside: a worker keeps its loaded modules only while the next file in the queue is of the
// same project and environment. A block takes its place among the other files by its longest file, so a long browser
// test in a shared project still starts early and the queue still ends with the shortest files.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer } from 'vitest/node';

const root = new URL('..', import.meta.url).pathname;
const durationsFile = new URL('./test-durations.json', import.meta.url);

/** `project:path from the repository root` of a test file, the key of scripts/test-durations.json. */
const durationKey = (project, file) => `${project}:${relative(root, file)}`;

/** The file's own `@vitest-environment` (a worker is shared only between files of the same environment), or ''. */
const environmentOf = (file) => /@vitest-environment\s+([\w-]+)/.exec(readFileSync(file, 'utf8').slice(0, 500))?.[1] ?? '';

export default class LongestFirstSequencer extends BaseSequencer {
  async sort(files) {
    const seconds = existsSync(durationsFile) ? JSON.parse(readFileSync(durationsFile, 'utf8')).files : {};
    const known = (spec) => seconds[durationKey(spec.project.name, spec.moduleId)] ?? Number.MAX_SAFE_INTEGER;
    // each isolated file is a block of its own; shared files make one block per project and environment
    const blocks = new Map();
    for (const spec of files) {
      const key = spec.project.config.isolate === false ? `${spec.project.name} ${environmentOf(spec.moduleId)}` : spec;
      blocks.set(key, [...(blocks.get(key) ?? []), spec]);
    }
    const sorted = [...blocks.values()].map((block) => block.sort((a, b) => known(b) - known(a)));
    sorted.sort((a, b) => known(b[0]) - known(a[0]));
    return sorted.flat();
  }
}
