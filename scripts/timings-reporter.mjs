// A vitest reporter for `npm run test:timings`: writes, per test file, its project, the time from the worker taking
// it to its last hook (environment, setup files, imports, hooks and tests), and the sum of its tests' own times.
// The JSON reporter only spans first test start to last test end, so it misses imports and beforeAll.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

export default class TimingsReporter {
  onInit(vitest) {
    this.vitest = vitest;
    this.started = Date.now();
  }

  onTestRunEnd(testModules) {
    const out = process.env.FIXPOINT_TIMINGS_OUT ?? 'test-results/timings.json';
    const root = this.vitest.config.root;
    const files = testModules.map((m) => {
      const d = m.diagnostic();
      const tests = [...m.children.allTests()].map((t) => ({ name: t.fullName, state: t.result().state, ms: t.diagnostic()?.duration ?? 0 }));
      return {
        project: m.project.name,
        file: relative(root, m.moduleId),
        state: m.state(),
        // what the worker spent on this file, in order: environment, setup files, imports, then hooks and tests
        environmentMs: d.environmentSetupDuration,
        setupFilesMs: d.setupDuration,
        importMs: d.collectDuration,
        runMs: d.duration,
        totalMs: d.environmentSetupDuration + d.prepareDuration + d.setupDuration + d.collectDuration + d.duration,
        testsMs: tests.reduce((sum, t) => sum + t.ms, 0),
        startTime: m.task.result?.startTime ?? null,
        tests,
      };
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ format: 'fixpoint-timings', startTime: this.started, wallMs: Date.now() - this.started, files }, null, 1));
  }
}
