/** @module A detection test bench: a backend on a hand-moved clock, the engine, devices whose facts tests change. */
import { DetectionRuleInput, type ExecutionStatus } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import type { Principal } from '../services/identity/rights';
import { createDetectionRule, startDetectionEngine, type DetectionEngine } from '../services/detection';
import { createTestBackend, type TestBackend } from './harness';
import { executionsBy, finishExecution, seedAutomatedAction, setDeviceFacts } from './automation';
import { seedPrincipal } from './principals';

export interface DetectionBench {
  t: TestBackend;
  ctx: AppContext;
  engine: DetectionEngine;
  /** An admin who owns the rules `rule()` creates. */
  author: Principal;
  /** Moves the clock forward by seconds. */
  advance(seconds: number): void;
  /** Sets facts on devices, announces the change, and waits for the engine. */
  setFacts(ids: readonly string[], facts: Record<string, unknown>): Promise<void>;
  /** Creates a rule (defaults: condition `disk.free_pct < 10`, action `heal-disk`, no canary). */
  rule(input?: Partial<Omit<DetectionRuleInput, 'guards'>> & { guards?: Record<string, unknown> }): Promise<string>;
  /** Executions the rule launched, oldest first. */
  runs(ruleId: string): ReturnType<typeof executionsBy>;
  /** Ends the rule's queued runs with `status` (and an exit code) and waits for the engine's follow-ups. */
  finish(ruleId: string, status: ExecutionStatus, error?: string, exitCode?: number | null): Promise<number>;
  close(): Promise<void>;
}

export async function startDetectionBench(options: { database?: 'pglite' | 'postgres' } = {}): Promise<DetectionBench> {
  let clock = new Date('2025-05-01T12:00:00Z');
  const t = await createTestBackend({ database: options.database ?? 'pglite', now: () => clock });
  const ctx = t.ctx;
  const engine = startDetectionEngine(ctx, { background: false });
  await seedAutomatedAction(ctx, { slug: 'heal-disk', purpose: 'remediation' });
  const author = await seedPrincipal(ctx, ['admin'], 'author@test.local');
  const bench: DetectionBench = {
    t,
    ctx,
    engine,
    author,
    advance(seconds) {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
    async setFacts(ids, facts) {
      await setDeviceFacts(ctx, ids, facts);
      for (const deviceId of ids) ctx.deviceEvents!.publish({ deviceId, kind: 'facts' });
      await engine.settle();
    },
    async rule(input = {}) {
      const rule = DetectionRuleInput.parse({
        name: 'low disk',
        condition: 'disk.free_pct < 10',
        action: 'heal-disk',
        ...input,
        guards: { canaryPercent: 0, ...input.guards },
      });
      const created = await createDetectionRule(ctx, { principal: author, rule });
      await engine.settle();
      return created.id;
    },
    runs: (ruleId) => executionsBy(ctx, `detection:${ruleId}`),
    async finish(ruleId, status, error, exitCode) {
      const open = (await bench.runs(ruleId)).filter((e) => e.status === 'queued');
      for (const e of open) await finishExecution(ctx, e, status, error, exitCode);
      await engine.settle();
      return open.length;
    },
    async close() {
      await engine.stop();
      await t.close();
    },
  };
  return bench;
}
