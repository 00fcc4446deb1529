/**
 * @module `fixpoint campaign ID [--timeout S] [--param k=v]… [--no-wait] [--deadline T] [--max-postpones N] [--countdown S]` and `fixpoint campaign --status REQUEST`:
 * asks the agent, through the run's control socket, to show a campaign to the console user, waits for the outcome
 * and prints it as one JSON line: `{"status":"fully","answers":{"q1":["yes"]},"freeText":{},"requestId":"…"}`.
 * `--no-wait` prints `{"status":"pending",…,"requestId":"…"}` and exits 0 as soon as the request exists; the prompt
 * stays with the user after the script ends, and `--status REQUEST` (in this or a later run) reads its outcome.
 * `--deadline` (seconds from now, or an ISO 8601 time) sets when the request goes ahead without an answer; the user
 * may postpone at most `--max-postpones` times and sees a countdown for the last `--countdown` seconds.
 *
 * Exit codes (`campaignExitCodes`): 0 fully · 10 declined · 11 postponed · 12 timeout · 13 expired · 14 no_user ·
 * 15 notification_failed · 16 pending · 17 canceled · 18 deadline_reached · 3 the campaign could not start (the JSON has `message`) · 2 usage.
 *
 * Compiled from `campaign-entry.ts` into a standalone file the agent writes into each run directory; it imports nothing
 * but node and the zod-free exit code table, so it starts fast. The single-file agent runs it in-process (main.ts).
 */
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { campaignExitCodes, maxScriptCampaignTimeoutSec, type CampaignExitStatus } from '@fixpoint/protocol/campaign-exit';
import { parseDeadlineOptions, type DeadlineOptions } from './deadline-options';

const usage =
  'usage: fixpoint campaign ID [--timeout SECONDS] [--param NAME=VALUE]... [--no-wait] [--deadline SECONDS|TIME] [--max-postpones N] [--countdown SECONDS]\n' +
  '       fixpoint campaign --status REQUEST_ID';
const requestIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Parsed =
  | ({ type: 'campaign'; campaign: string; timeoutSec?: number; parameters: Record<string, string>; noWait?: true } & DeadlineOptions)
  | { type: 'campaign_status'; requestId: string };

function fail(status: 'usage' | 'error', message: string): number {
  if (status === 'error') process.stdout.write(`${JSON.stringify({ status: 'error', answers: {}, freeText: {}, message })}\n`);
  process.stderr.write(`fixpoint campaign: ${message}\n`);
  return campaignExitCodes[status];
}

function parse(argv: string[]): Parsed | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        timeout: { type: 'string' },
        param: { type: 'string', multiple: true },
        'no-wait': { type: 'boolean' },
        status: { type: 'string' },
        deadline: { type: 'string' },
        'max-postpones': { type: 'string' },
        countdown: { type: 'string' },
      },
    });
  } catch (err) {
    return (err as Error).message;
  }
  const { status } = parsed.values;
  if (status !== undefined) {
    const v = parsed.values;
    if (parsed.positionals.length || v.timeout !== undefined || v.param || v['no-wait'] || v.deadline !== undefined || v['max-postpones'] !== undefined || v.countdown !== undefined)
      return '--status takes a request id and nothing else';
    return requestIdPattern.test(status) ? { type: 'campaign_status', requestId: status } : `--status takes a request id, got ${JSON.stringify(status)}`;
  }
  const [campaign, ...extra] = parsed.positionals;
  if (!campaign || extra.length) return usage;
  const deadline = parseDeadlineOptions(parsed.values, Date.now());
  if (typeof deadline === 'string') return deadline;
  const base = { type: 'campaign' as const, campaign, ...(parsed.values['no-wait'] && { noWait: true as const }), ...deadline };
  const parameters: Record<string, string> = {};
  for (const pair of parsed.values.param ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) return `--param takes NAME=VALUE, got ${JSON.stringify(pair)}`;
    parameters[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (parsed.values.timeout === undefined) return { ...base, parameters };
  const timeoutSec = Number(parsed.values.timeout);
  if (!Number.isInteger(timeoutSec) || timeoutSec < 1 || timeoutSec > maxScriptCampaignTimeoutSec)
    return `--timeout takes whole seconds from 1 to ${maxScriptCampaignTimeoutSec}`;
  return { ...base, timeoutSec, parameters };
}

/** Sends the request and waits for the one line that answers it. */
function ask(path: string, request: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
      const nl = text.indexOf('\n');
      if (nl === -1) return;
      socket.destroy();
      try {
        resolve(JSON.parse(text.slice(0, nl)) as Record<string, unknown>);
      } catch {
        reject(new Error('the agent sent something unreadable'));
      }
    });
    socket.on('error', (err) => reject(new Error(`cannot reach the agent: ${err.message}`)));
    socket.on('close', () => reject(new Error('the agent closed the connection without an answer')));
  });
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') return fail('usage', args === usage ? usage : `${args}\n${usage}`);
  if (!env.FIXPOINT_CONTROL || !env.FIXPOINT_CONTROL_TOKEN)
    return fail('error', 'FIXPOINT_CONTROL is not set: fixpoint campaign only works inside a Fixpoint action script');
  let reply: Record<string, unknown>;
  try {
    reply = await ask(env.FIXPOINT_CONTROL, { token: env.FIXPOINT_CONTROL_TOKEN, ...args });
  } catch (err) {
    return fail('error', (err as Error).message);
  }
  if (reply.type !== 'outcome') return fail('error', typeof reply.message === 'string' ? reply.message : 'the agent refused the request');
  const { type: _type, ...outcome } = reply;
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  const status = outcome.status as CampaignExitStatus;
  if (status === 'error' && typeof outcome.message === 'string') process.stderr.write(`fixpoint campaign: ${outcome.message}\n`);
  // --no-wait succeeded: the request exists and waits for its user
  if (args.type === 'campaign' && args.noWait && status === 'pending') return 0;
  return campaignExitCodes[status] ?? campaignExitCodes.error;
}
