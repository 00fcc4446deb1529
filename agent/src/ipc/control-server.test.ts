import { describe, expect, it } from 'vitest';
import { campaignExitCodes, type ScriptCampaignOutcome, type ScriptControlRequest } from '@fixpoint/protocol';
import { FakeServer } from '../testing/fake-server';
import { posixPlatform } from '../exec/platform-posix';
import { startRun } from '../exec/runner';
import { tryOpenControlEndpoint } from './control-server';

const server = new FakeServer();
const device = '11111111-2222-4333-8444-555555555555';

/** Runs a script whose `fixpoint campaign` calls get `reply` (or wait until the script goes away). */
function runWith(script: string, reply: (r: ScriptControlRequest) => ScriptCampaignOutcome | null) {
  const asked: ScriptControlRequest[] = [];
  let abandoned = 0;
  const envelope = server.envelope(device, { script, timeoutSec: 20 });
  const result = startRun(envelope, {
    platform: posixPlatform,
    openControl: (_dir, user) =>
      tryOpenControlEndpoint(envelope.payload.executionId, user, (request) => {
        asked.push(request);
        const outcome = reply(request);
        return { outcome: outcome ? Promise.resolve(outcome) : new Promise<ScriptCampaignOutcome>(() => {}), abandon: () => abandoned++ };
      }),
  }).result;
  return { result, asked, abandoned: () => abandoned };
}

describe('fixpoint campaign (the command scripts call)', () => {
  it('sends the campaign, parameters and timeout, prints the outcome as JSON and exits 0 when answered in full', async () => {
    const { result, asked } = runWith('fixpoint campaign disk-cleanup --timeout 30 --param size=12GB --param "note=a = b"; echo "rc=$?"', () => ({
      type: 'outcome',
      status: 'fully',
      answers: { clean: ['yes'] },
      freeText: {},
      requestId: '0b7f6c1e-2f9a-4d55-8a0e-1f2b3c4d5e6f',
    }));
    const r = await result;
    expect(r.status).toBe('succeeded');
    const [json, rc] = r.stdoutTail.trim().split('\n');
    expect(JSON.parse(json!)).toEqual({ status: 'fully', answers: { clean: ['yes'] }, freeText: {}, requestId: '0b7f6c1e-2f9a-4d55-8a0e-1f2b3c4d5e6f' });
    expect(rc).toBe('rc=0');
    expect(asked).toEqual([{ type: 'campaign', token: expect.any(String), campaign: 'disk-cleanup', timeoutSec: 30, parameters: { size: '12GB', note: 'a = b' } }]);
  });

  it('exits with a distinct code for each way a campaign ends unanswered', async () => {
    const states = ['declined', 'postponed', 'timeout', 'expired', 'no_user', 'notification_failed'] as const;
    const script = states.map((s) => `fixpoint campaign ${s.replace('_', '-')} >/dev/null; echo "${s}=$?"`).join('\n');
    const { result } = runWith(script, (r) => ({ type: 'outcome', status: (r.type === 'campaign' ? r.campaign.replace('-', '_') : 'error') as (typeof states)[number], answers: {}, freeText: {} }));
    const r = await result;
    expect(r.stdoutTail.trim().split('\n')).toEqual(states.map((s) => `${s}=${campaignExitCodes[s]}`));
    expect(new Set(states.map((s) => campaignExitCodes[s])).size).toBe(states.length);
  });

  it('--no-wait prints the request id and exits 0; --status reads a request later, exiting by its state', async () => {
    const id = '0b7f6c1e-2f9a-4d55-8a0e-1f2b3c4d5e6f';
    const states: Record<string, ScriptCampaignOutcome['status']> = { [id]: 'pending', '1b7f6c1e-2f9a-4d55-8a0e-1f2b3c4d5e6f': 'canceled', '2b7f6c1e-2f9a-4d55-8a0e-1f2b3c4d5e6f': 'declined' };
    const { result, asked } = runWith(
      [
        'fixpoint campaign disk-cleanup --no-wait; echo "rc=$?"',
        ...Object.keys(states).map((r) => `fixpoint campaign --status ${r} >/dev/null; echo "rc=$?"`),
        'fixpoint campaign --status not-an-id; echo "rc=$?"',
        `fixpoint campaign disk-cleanup --status ${id}; echo "rc=$?"`,
      ].join('\n'),
      (r) => ({ type: 'outcome', status: r.type === 'campaign' ? 'pending' : states[r.requestId]!, answers: {}, freeText: {}, requestId: r.type === 'campaign' ? id : r.requestId }),
    );
    const r = await result;
    const lines = r.stdoutTail.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ status: 'pending', answers: {}, freeText: {}, requestId: id });
    expect(lines.filter((l) => l.startsWith('rc='))).toEqual(['rc=0', 'rc=16', 'rc=17', 'rc=10', 'rc=2', 'rc=2']);
    expect(asked).toEqual([
      { type: 'campaign', token: expect.any(String), campaign: 'disk-cleanup', parameters: {}, noWait: true },
      ...Object.keys(states).map((requestId) => ({ type: 'campaign_status', token: expect.any(String), requestId })),
    ]);
  });

  it('reports a campaign that cannot start (exit 3, with a message) and a bad command line (exit 2)', async () => {
    const { result } = runWith(
      [
        'fixpoint campaign nope; echo "rc=$?"',
        'fixpoint campaign; echo "rc=$?"',
        'fixpoint campaign x --timeout 0; echo "rc=$?"',
        'fixpoint campaign x --param novalue; echo "rc=$?"',
        'FIXPOINT_CONTROL_TOKEN=$(printf "A%.0s" $(seq 43)) fixpoint campaign x; echo "rc=$?"',
        'env -u FIXPOINT_CONTROL "$FIXPOINT_BIN/fixpoint" campaign x; echo "rc=$?"',
      ].join('\n'),
      () => ({ type: 'outcome', status: 'error', answers: {}, freeText: {}, message: 'not_found: campaign nope' }),
    );
    const r = await result;
    const lines = r.stdoutTail.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ status: 'error', answers: {}, freeText: {}, message: 'not_found: campaign nope' });
    expect(lines.filter((l) => l.startsWith('rc='))).toEqual(['rc=3', 'rc=2', 'rc=2', 'rc=2', 'rc=3', 'rc=3']);
    expect(r.stderrTail).toContain('wrong FIXPOINT_CONTROL_TOKEN');
    expect(r.stderrTail).toContain('only works inside a Fixpoint action script');
  });

  it('abandons the wait when the script is killed, and answers malformed requests with an error', async () => {
    const { result, abandoned } = runWith(
      [
        `printf '{"type":"campaign"}\\n' | "$FIXPOINT_NODE" -e 'const s=require("net").connect(process.env.FIXPOINT_CONTROL);process.stdin.pipe(s);s.pipe(process.stdout)'`,
        'fixpoint campaign slow & sleep 1; kill $!; wait',
      ].join('\n'),
      () => null,
    );
    const r = await result;
    expect(JSON.parse(r.stdoutTail.trim().split('\n')[0]!)).toMatchObject({ type: 'error', code: 'protocol_error' });
    expect(abandoned()).toBe(1);
  });
});
