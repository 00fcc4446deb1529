/**
 * Self-help end to end, with real processes only (the setup: ../testing/self-help.ts): how a self-help run ends. A
 * detection rule's run the user declines is a neutral outcome, not a failure; a user run waits for a user who logs
 * in later; a standalone campaign a script left with the user (`--no-wait`) is read later (`--status`). Who is at
 * the console comes from a file the test writes (`FIXPOINT_AGENT_CONSOLE_USER_FILE`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentBundle } from '../testing/agent-process';
import { buildTrayBundle } from '../testing/desktop';
import { waitUntil } from '../testing/live';
import { canRunSelfHelp, selfHelpSkipNote, startSelfHelp, type SelfHelp } from '../testing/self-help';

/** Asks through a campaign and exits with what `fixpoint campaign` exited with: the documented self-help outcome codes. */
const askAction = {
  slug: 'self-help-ask',
  name: 'Ask the user',
  purpose: 'remediation',
  runAs: 'user',
  timeoutSec: 120,
  triggers: ['manual', 'api', 'detection'],
  scripts: { linux: { shell: 'sh', source: 'fixpoint campaign disk-cleanup --timeout 90 --param size=3GB' } },
};

/** A campaign left with the user (`--no-wait`), and its outcome read in a later run (`--status`), as the system. */
const leaveAction = {
  slug: 'campaign-leave',
  name: 'Leave a campaign with the user',
  purpose: 'remediation',
  runAs: 'user',
  scripts: { linux: { shell: 'sh', source: 'fixpoint campaign disk-cleanup --no-wait --param size=1GB' } },
};
const statusAction = {
  slug: 'campaign-status',
  name: 'Read a campaign outcome',
  purpose: 'remediation',
  parameters: [{ name: 'request', type: 'string', required: true }],
  scripts: { linux: { shell: 'sh', source: 'fixpoint campaign --status "$FIXPOINT_PARAM_REQUEST"' } },
};

const title = 'self-help: how self-help runs end (neutral outcomes, waiting for a user, standalone campaigns)';
describe.skipIf(!canRunSelfHelp)(canRunSelfHelp ? title : `${title} ${selfHelpSkipNote}`, () => {
  let s: SelfHelp;
  const consoleFile = join(mkdtempSync(join(tmpdir(), 'fixpoint-console-')), 'user');
  const run = async (action: string, parameters: Record<string, unknown> = {}) => {
    const res = await s.live.api('POST', '/executions', { action, devices: [s.agent.deviceId], parameters });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.executions[0].id as string;
  };

  beforeAll(async () => {
    s = await startSelfHelp(buildAgentBundle(), buildTrayBundle(), {
      agentEnv: { FIXPOINT_AGENT_CONSOLE_USER_FILE: consoleFile, FIXPOINT_AGENT_USER_POLL_MS: '500' },
    });
    writeFileSync(consoleFile, s.user.name);
    for (const action of [askAction, leaveAction, statusAction]) {
      const created = await s.live.api('POST', '/actions', action);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  }, 240_000);

  afterAll(async () => {
    await s?.stop();
  });

  it('a detection rule whose user declines records a neutral outcome, not a failure', async () => {
    const created = await s.live.api('POST', '/detections', {
      name: 'offer a cleanup',
      condition: 'platform == "linux"',
      action: 'self-help-ask',
      guards: { canaryPercent: 0, cooldownSec: 3600, breaker: { window: 5, minResults: 1, failureRate: 0.5 } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ runAs: 'user', selfHelp: true });
    const rule = created.body.id as string;
    await s.answer('rule-decline', [{ role: 'button', name: 'No thanks' }]);
    const events = await waitUntil(async () => {
      const body = (await s.live.api('GET', `/detections/${rule}/events`)).body;
      return body.items[0]?.finishedAt && body;
    }, 60_000, 'the rule run ended');
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({ status: 'failed', neutral: 'declined', deviceId: s.agent.deviceId });
    // the execution keeps its own status and the script's exit code
    expect((await s.live.api('GET', `/executions/${events.items[0].executionId}`)).body).toMatchObject({ status: 'failed', exitCode: 10 });
    const health = (await s.live.api('GET', `/detections/${rule}/health`)).body;
    // a breaker that trips on one failure in one result holds: the decline is no failure
    expect(health).toMatchObject({ fired: 1, failed: 0, neutral: 1, neutralByOutcome: { declined: 1 }, pausedByBreaker: false });
    expect((await s.live.api('DELETE', `/detections/${rule}`)).status).toBe(204);
  }, 150_000);

  it('a user run waits, delivered, for a user who logs in later, then asks them', async () => {
    writeFileSync(consoleFile, '');
    const id = await run('self-help-ask');
    await waitUntil(async () => (await s.live.api('GET', `/executions/${id}`)).body.status === 'delivered', 20_000, 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await s.live.api('GET', `/executions/${id}`)).body).toMatchObject({ status: 'delivered', startedAt: null });
    writeFileSync(consoleFile, s.user.name);
    await s.answer('late-login', [{ role: 'radio', name: 'Yes' }, { role: 'button', name: 'Finish' }]);
    const done = await s.finished(id);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(JSON.parse(done.stdoutTail.trim())).toMatchObject({ status: 'fully', answers: { clean: ['yes'] } });
  }, 150_000);

  it('a standalone campaign: a script leaves it with the user, a later run reads the answer', async () => {
    const left = await s.finished(await run('campaign-leave'));
    expect(left, JSON.stringify(left)).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const pending = JSON.parse(left.stdoutTail.trim());
    expect(pending).toMatchObject({ status: 'pending', requestId: expect.any(String) });
    // asked before anyone answered: still pending (exit code 16)
    const early = await s.finished(await run('campaign-status', { request: pending.requestId }));
    expect(early).toMatchObject({ status: 'failed', exitCode: 16 });
    await s.answer('standalone', [{ role: 'radio', name: 'No' }, { role: 'button', name: 'Finish' }]);
    const read = await waitUntil(async () => {
      const done = await s.finished(await run('campaign-status', { request: pending.requestId }));
      return done.status === 'succeeded' && done;
    }, 30_000, 'the answer read');
    expect(JSON.parse(read.stdoutTail.trim())).toMatchObject({ status: 'fully', answers: { clean: ['no'] } });
  }, 150_000);
});
