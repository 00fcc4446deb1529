import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentMessage, AgentToTrayMessage } from '@fixpoint/protocol';
import { failedResult } from '../exec/result';
import { Journal } from '../state/journal';
import { tempDir } from '../testing/helpers';
import { journalStart } from './activity';
import { SelfServiceDesk, type SelfServiceReply } from './index';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const day = 86_400_000;

function payload(n: number) {
  return {
    actionSlug: `action-${n}`,
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    origin: { kind: 'person' as const, name: 'Ana', ticket: 'INC0012' },
    parameters: { level: 'debug', token: 'hunter2', long: 'x'.repeat(500) },
    secretParameters: ['token'],
  };
}

describe('the activity journal', () => {
  it('keeps who launched a run and its parameters, secrets hidden, across a reopen and a compaction', () => {
    const path = join(tempDir(), 'journal.jsonl');
    let now = new Date();
    const j = Journal.open(path, { now: () => now });
    j.recordStart(id(1), journalStart(payload(1)));
    j.recordResult(id(1), { ...failedResult(id(1), 'failed', 'spawn_failed', 'x', now), status: 'succeeded', exitCode: 0, error: null });
    j.recordAck(id(1));
    j.close();
    expect(JSON.stringify(Journal.open(path, { readOnly: true }).get(id(1)))).not.toContain('hunter2');

    // three weeks later, long past the envelope's expiry: the activity view still shows it
    now = new Date(now.getTime() + 21 * day);
    const later = Journal.open(path, { now: () => now });
    later.compact();
    const [entry] = later.activity(new Date(now.getTime() - 30 * day), 10);
    expect(entry).toMatchObject({ id: id(1), action: 'action-1', origin: { kind: 'person', name: 'Ana', ticket: 'INC0012' } });
    expect(entry!.parameters!.token).toBe('***');
    expect(entry!.parameters!.level).toBe('debug');
    expect(entry!.parameters!.long).toHaveLength(200);
    // past the 30 days it goes at the next compaction
    now = new Date(now.getTime() + 10 * day);
    later.compact();
    expect(later.has(id(1))).toBe(false);
    later.close();
  });
});

describe('the self-service desk', () => {
  function desk() {
    const sent: AgentMessage[] = [];
    const heard: AgentToTrayMessage[] = [];
    const journal = Journal.open(join(tempDir(), 'journal.jsonl'));
    const d = new SelfServiceDesk({ send: (m) => (sent.push(m), true), journal, now: () => new Date(), replyTimeoutMs: 200 });
    return { d, sent, heard, journal, reply: (m: AgentToTrayMessage) => (heard.push(m), true) };
  }
  const sealed = (body: Omit<SelfServiceReply, 'type'>): SelfServiceReply => ({ type: 'self_service_reply', ...body });

  it('asks the server as the tray’s user and follows the launched run to its result', () => {
    const { d, sent, heard, reply } = desk();
    d.handle('ana', { type: 'self_service', localId: id(7), op: 'run', action: 'clear-temp' }, reply);
    expect(sent).toEqual([{ type: 'self_service', localId: expect.any(String), op: 'run', action: 'clear-temp', user: 'ana' }]);
    const serverId = (sent[0] as { localId: string }).localId;
    expect(serverId).not.toBe(id(7));
    d.handleServer(sealed({ localId: serverId, executionId: id(8) }));
    d.progress(id(8), 'running');
    d.progress(id(9), 'running');
    d.progress(id(8), 'succeeded', 0);
    d.progress(id(8), 'failed', 1);
    expect(heard.map((m) => (m.type === 'self_service_progress' ? [m.localId, m.state] : m.type))).toEqual([
      [id(7), 'queued'],
      [id(7), 'running'],
      [id(7), 'succeeded'],
    ]);
  });

  it('passes refusals on with when to try again, and answers itself when the server does not', async () => {
    const { d, sent, heard, reply } = desk();
    d.handle('ana', { type: 'self_service', localId: id(1), op: 'run', action: 'clear-temp' }, reply);
    d.handleServer(sealed({ localId: (sent[0] as { localId: string }).localId, error: { code: 'rate_limited', message: 'wait', retryAfterSec: 42 } }));
    expect(heard).toEqual([{ type: 'self_service_error', localId: id(1), code: 'rate_limited', message: 'wait', retryAfterSec: 42 }]);
    d.handle('ana', { type: 'self_service', localId: id(2), op: 'list' }, reply);
    await new Promise((r) => setTimeout(r, 400));
    expect(heard[1]).toMatchObject({ type: 'self_service_error', localId: id(2), code: 'internal' });
    // a reply that comes too late, or was never asked for, reaches no tray
    d.handleServer(sealed({ localId: (sent[1] as { localId: string }).localId, fixes: [] }));
    expect(heard).toHaveLength(2);
  });

  it('answers the activity view from the journal alone', () => {
    const { d, sent, heard, journal, reply } = desk();
    journal.recordStart(id(3), journalStart(payload(3)));
    d.handle('ana', { type: 'activity', localId: id(4) }, reply);
    expect(sent).toEqual([]);
    expect(heard).toEqual([
      {
        type: 'activity_list',
        localId: id(4),
        entries: [expect.objectContaining({ executionId: id(3), status: 'running', origin: { kind: 'person', name: 'Ana', ticket: 'INC0012' } })],
      },
    ]);
  });
});
