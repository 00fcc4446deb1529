import { describe, expect, it } from 'vitest';
import { ActionDefinition, selfServiceProblem } from './actions';
import { parseAgentMessage, parseServerMessage } from './agent-channel-parse';
import { EnvelopePayload } from './executions';
import { ExecutionOrigin, SelfServiceSettings } from './self-service';
import { parseAgentToTrayMessage, parseTrayMessage } from './tray-ipc';

const id = '7b0d3b4e-1c86-4f43-8f0e-6a1f0e7f9a01';
const action = {
  slug: 'clear-temp',
  name: 'Clear temp',
  purpose: 'remediation',
  scripts: { linux: { shell: 'sh', source: 'true' } },
};

describe('self-service settings', () => {
  it('take a title per language, with a cooldown and daily limit by default', () => {
    expect(SelfServiceSettings.parse({ title: { en: 'Clear temp', fr: 'Vider' } })).toEqual({ title: { en: 'Clear temp', fr: 'Vider' }, description: { en: '' }, cooldownSec: 300, dailyLimit: 5 });
    expect(SelfServiceSettings.safeParse({ title: {} }).success).toBe(false);
    expect(SelfServiceSettings.safeParse({ title: { English: 'x' } }).success).toBe(false);
    expect(SelfServiceSettings.safeParse({ title: { en: 'x' }, dailyLimit: 0 }).success).toBe(false);
  });

  it('are required with the self_service trigger', () => {
    const bare = ActionDefinition.parse({ ...action, triggers: ['self_service'] });
    expect(selfServiceProblem(bare)).toMatch(/needs selfService/);
    const titled = ActionDefinition.parse({ ...action, triggers: ['manual', 'self_service'], selfService: { title: { en: 'Clear temp' } } });
    expect(selfServiceProblem(titled)).toBeNull();
    expect(selfServiceProblem(ActionDefinition.parse(action))).toBeNull();
  });
});

describe('self-service messages', () => {
  it('go from the tray to the agent and back', () => {
    expect(parseTrayMessage(JSON.stringify({ type: 'self_service', localId: id, op: 'run', action: 'clear-temp' })).ok).toBe(true);
    expect(parseTrayMessage(JSON.stringify({ type: 'activity', localId: id })).ok).toBe(true);
    const bad = parseTrayMessage(JSON.stringify({ type: 'self_service', localId: id, op: 'run', action: 'Not A Slug' }));
    expect(bad.ok).toBe(false);
    const progress = { type: 'self_service_progress', localId: id, action: 'clear-temp', executionId: id, state: 'succeeded', exitCode: 0, at: '2026-12-07T10:00:00.000Z' };
    expect(parseAgentToTrayMessage(JSON.stringify(progress)).ok).toBe(true);
    const entry = { executionId: id, action: 'clear-temp', origin: { kind: 'self_service', name: 'ana' }, startedAt: progress.at, finishedAt: null, status: 'running', exitCode: null, parameters: { token: '***' } };
    expect(parseAgentToTrayMessage(JSON.stringify({ type: 'activity_list', localId: id, entries: [entry] })).ok).toBe(true);
  });

  it('go from the agent to the server, and the reply is a sealed control frame', () => {
    expect(parseAgentMessage(JSON.stringify({ type: 'self_service', localId: id, op: 'list', user: 'ana' })).ok).toBe(true);
    expect(parseAgentMessage(JSON.stringify({ type: 'self_service', localId: id, op: 'list', user: '' })).ok).toBe(false);
    const reply = { type: 'self_service_reply', localId: id, error: { code: 'rate_limited', message: 'wait', retryAfterSec: 60 } };
    expect(parseServerMessage(JSON.stringify(reply)).ok).toBe(false);
    const sealed = { ...reply, binding: { deviceId: id, connection: 'a'.repeat(22), seq: 1, expiresAt: '2026-12-07T10:00:00.000Z' }, keyId: 'k1', signature: 'AAAA' };
    expect(parseServerMessage(JSON.stringify(sealed)).ok).toBe(true);
  });

  it('carry the origin of a run in the signed envelope payload', () => {
    expect(ExecutionOrigin.safeParse({ kind: 'person', name: 'Ana', ticket: 'INC0012' }).success).toBe(true);
    expect(ExecutionOrigin.safeParse({ kind: 'robot', name: 'x' }).success).toBe(false);
    expect(EnvelopePayload.shape.origin.safeParse(undefined).success).toBe(true);
  });
});
