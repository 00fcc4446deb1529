/**
 * @module Neutral self-help outcomes on executions: a self-help run that failed with a `fixpoint campaign` neutral exit
 * code shows its outcome in the executions API, filters by it, and is queryable as `outcome` in the query language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignExitCodes as codes } from '@fixpoint/protocol';
import { seedAutomatedAction } from './automation';
import { startDetectionBench, type DetectionBench } from './detection';
import { seedDevices } from './fleet';

export function executionOutcomesSuite(database: 'pglite' | 'postgres') {
  describe(`neutral outcomes of executions (${database})`, () => {
    let b: DetectionBench;
    let admin: Record<string, string>;
    const rules: Record<string, string> = {};
    // a long cooldown on a still clock: each rule runs once, and a neutral outcome fires no second ask
    const guards = { cooldownSec: 3600, breaker: { window: 10, minResults: 5, failureRate: 0.9 } };

    beforeAll(async () => {
      b = await startDetectionBench({ database });
      await seedAutomatedAction(b.ctx, { slug: 'ask-user', runAs: 'user' });
      admin = await b.t.as('admin');
      const [device] = await seedDevices(b.ctx, 1, { platform: 'linux' });
      // a system run that asks the user (self-help rule), a system run that heals, and two runs as the user
      rules.selfHelp = await b.rule({ name: 'asks as the system', action: 'heal-disk', selfHelp: true, guards });
      rules.healing = await b.rule({ name: 'heals', action: 'heal-disk', guards });
      rules.nobody = await b.rule({ name: 'asks, nobody there', action: 'ask-user', guards });
      rules.broken = await b.rule({ name: 'asks, script broke', action: 'ask-user', guards });
      await b.setFacts([device!], { disk: { free_pct: 5 } });
      const ends: [string, number][] = [['selfHelp', codes.declined], ['healing', codes.declined], ['nobody', codes.no_user], ['broken', codes.error]];
      for (const [name, exitCode] of ends) expect(await b.finish(rules[name]!, 'failed', 'ended', exitCode)).toBe(1);
    });
    afterAll(() => b?.close());

    const list = async (query = '') => {
      const res = await b.t.call('GET', `/api/v1/executions?limit=500${query}`, { headers: admin });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items as { id: string; requestedBy: string; status: string; neutral: string | null }[];
    };
    const ruleOf = (requestedBy: string) => Object.keys(rules).find((name) => requestedBy === `detection:${rules[name]}`);
    const run = (query: string) => b.t.call('POST', '/api/v1/query', { headers: admin, body: { query } });

    it('shows the neutral outcome beside the status, only for self-help runs', async () => {
      const items = await list();
      const byRule = Object.fromEntries(items.map((e) => [ruleOf(e.requestedBy), [e.status, e.neutral]]));
      expect(byRule).toEqual({ selfHelp: ['failed', 'declined'], healing: ['failed', null], nobody: ['failed', 'no_user'], broken: ['failed', null] });
      const declined = items.find((e) => ruleOf(e.requestedBy) === 'selfHelp')!;
      expect((await b.t.call('GET', `/api/v1/executions/${declined.id}`, { headers: admin })).body).toMatchObject({ status: 'failed', neutral: 'declined', exitCode: 10 });
    });

    it('filters the list by outcome: a neutral one, or a status without the neutral runs', async () => {
      expect((await list('&outcome=declined')).map((e) => ruleOf(e.requestedBy))).toEqual(['selfHelp']);
      expect((await list('&outcome=no_user')).map((e) => ruleOf(e.requestedBy))).toEqual(['nobody']);
      expect((await list('&outcome=failed')).map((e) => ruleOf(e.requestedBy)).sort()).toEqual(['broken', 'healing']);
      expect((await list('&status=failed')).length).toBe(4);
      expect((await b.t.call('GET', '/api/v1/executions?outcome=maybe', { headers: admin })).status).toBe(400);
    });

    it('queries the outcome in the query language: where, list and summarize', async () => {
      const listed = await run('executions | where outcome == "declined" | list status, outcome, exit_code');
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      expect(listed.body.rows).toEqual([['failed', 'declined', 10]]);
      const counted = await run('executions | summarize count() by outcome');
      expect(counted.status, JSON.stringify(counted.body)).toBe(200);
      expect(Object.fromEntries(counted.body.rows.map((r: [string, number]) => [r[0], Number(r[1])]))).toEqual({ declined: 1, no_user: 1, failed: 2 });
      const neutral = await run('executions | where outcome in ("declined", "postponed", "timeout", "no_user") | summarize count()');
      expect(Number(neutral.body.rows[0][0])).toBe(2);
      const unknown = await run('executions | where outcome == "maybe"');
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/declined/);
    });
  });
}
