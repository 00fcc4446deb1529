/** @module The bundled agent CLI as real processes, for process-level tests: this run's bundle and a fake server. */
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { buildAgentBundle } from '../../../backend/src/testing/agent-process';
import { FakeServer } from './fake-server';

export interface BundledAgents {
  /** The agent bundle of this test run (built once per run for every file that runs it: `bundles.ts`). */
  readonly bundle: string;
  server: FakeServer;
  /** Processes the test started; any still running after a test is killed. */
  children: ChildProcess[];
}

/** Registers the file's hooks: the bundle and a started fake server before all tests, leftover children killed after each. */
export function useBundledAgents(): BundledAgents {
  let bundle = '';
  const agents = {
    get bundle() {
      return bundle;
    },
    server: new FakeServer(),
    children: [] as ChildProcess[],
  };
  beforeAll(async () => {
    bundle = buildAgentBundle();
    await agents.server.start();
  }, 60_000);
  afterEach(() => {
    for (const child of agents.children.splice(0)) if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
  });
  afterAll(() => agents.server.stop());
  return agents;
}
