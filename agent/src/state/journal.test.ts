import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limits } from '@fixpoint/protocol';
import { failedResult } from '../exec/result';
import { tempDir } from '../testing/helpers';
import { Journal } from './journal';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const exp = (ms: number) => new Date(Date.now() + ms).toISOString();
const result = (n: number, status: 'failed' | 'canceled' = 'failed') => failedResult(id(n), status, 'spawn_failed', 'x', new Date());

describe('journal', () => {
  it('replays starts, pids, results and acks after reopening', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const j = Journal.open(path);
    j.recordStart(id(1), { action: 'a', expiresAt: exp(60_000) });
    j.recordPid(id(1), 1234, '999');
    j.recordStart(id(2), { action: 'b', expiresAt: exp(60_000) });
    j.recordResult(id(2), result(2));
    j.recordStart(id(3), { action: 'c', expiresAt: exp(60_000) });
    j.recordResult(id(3), result(3));
    expect(j.recordAck(id(3))).toBe(true);
    expect(j.recordAck(id(3))).toBe(false);
    expect(j.recordAck(id(9))).toBe(false);
    j.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const again = Journal.open(path);
    expect(again.interrupted().map((e) => [e.id, e.pid, e.procStart])).toEqual([[id(1), 1234, '999']]);
    expect(again.unacked().map((r) => r.executionId)).toEqual([id(2)]);
    expect([id(1), id(2), id(3)].every((x) => again.has(x))).toBe(true);
    expect(again.recent(2).map((e) => e.id)).toEqual([id(3), id(2)]);
    again.close();
  });

  it("keeps an acked result's status but not its output, in memory and after reopening", () => {
    const path = join(tempDir(), 'journal.jsonl');
    const j = Journal.open(path);
    const printed = { ...result(1), stdoutTail: 'x'.repeat(4000), stderrTail: 'warning', outputs: { size: 42 } };
    j.recordStart(id(1), { action: 'a', expiresAt: exp(60_000) });
    j.recordResult(id(1), printed);
    expect(j.unacked()).toEqual([printed]);
    j.recordAck(id(1));
    const kept = { ...printed, stdoutTail: '', stderrTail: '', outputs: {} };
    expect(j.get(id(1))).toMatchObject({ acked: true, result: kept });
    j.close();
    const again = Journal.open(path);
    expect(again.get(id(1))).toMatchObject({ acked: true, result: kept });
    expect(again.interrupted()).toEqual([]);
    again.close();
  });

  it('drops a torn last line left by a crash and keeps appending cleanly', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const j = Journal.open(path);
    j.recordStart(id(1), { action: 'a', expiresAt: exp(60_000) });
    j.close();
    appendFileSync(path, '{"t":"result","id":"00000000-0000-4000-8000-0000000');
    const again = Journal.open(path);
    again.recordResult(id(1), result(1));
    again.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.every((l) => JSON.parse(l))).toBe(true);
    expect(Journal.open(path, { readOnly: true }).get(id(1))?.result?.status).toBe('failed');
  });

  it('compacts: forgets acked ids a day after expiry, keeps everything unacked or unfinished', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const j = Journal.open(path, { compactRecords: 1_000_000 });
    for (let n = 1; n <= 300; n++) {
      j.recordStart(id(n), { action: 'a', expiresAt: n <= 200 ? exp(-3 * 86400_000) : exp(60_000) });
      if (n !== 300) j.recordResult(id(n), result(n));
      if (n <= 250) j.recordAck(id(n));
    }
    const before = statSync(path).size;
    j.compact();
    expect(statSync(path).size).toBeLessThan(before / 2);
    expect(j.has(id(100))).toBe(false); // acked and long expired
    expect(j.has(id(220))).toBe(true); // acked, not yet expired: still a replay
    expect(j.unacked().map((r) => r.executionId)).toEqual(Array.from({ length: 49 }, (_, i) => id(251 + i)));
    expect(j.interrupted().map((e) => e.id)).toEqual([id(300)]);
    j.recordAck(id(251));
    j.close();
    const again = Journal.open(path);
    expect(again.size).toBe(100);
    expect(again.unacked()).toHaveLength(48);
    again.close();
  });

  it('compacts on its own once the file grows past the threshold', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const j = Journal.open(path, { compactRecords: 50, retainAfterExpiryMs: 0 });
    for (let n = 1; n <= 200; n++) {
      j.recordStart(id(n), { action: 'a', expiresAt: exp(-1000) });
      j.recordResult(id(n), result(n));
      j.recordAck(id(n));
    }
    expect(readFileSync(path, 'utf8').split('\n').length).toBeLessThan(60);
    j.close();
  });

  it('keeps refused ids through reopening and compaction, never as interrupted, and not past the longest expiry', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const j = Journal.open(path, { compactRecords: 1_000_000 });
    const refusal = { action: 'a', reason: 'bad_signature' as const, message: 'forged' };
    j.recordRefusal(id(1), { ...refusal, expiresAt: exp(60_000) });
    j.recordRefusal(id(2), { ...refusal, expiresAt: exp(-3 * 86400_000) });
    // a forged envelope may claim any expiry: it is kept no longer than a real one can live
    j.recordRefusal(id(3), { ...refusal, expiresAt: '9999-01-01T00:00:00.000Z' });
    expect(Date.parse(j.get(id(3))!.expiresAt)).toBeLessThanOrEqual(Date.now() + limits.maxExpirySec * 1000);
    expect(j.interrupted()).toEqual([]);
    j.compact();
    expect(j.has(id(2))).toBe(false);
    j.close();
    const again = Journal.open(path);
    expect(again.get(id(1))?.refused).toEqual({ reason: 'bad_signature', message: 'forged' });
    expect(again.has(id(3))).toBe(true);
    expect(again.interrupted()).toEqual([]);
    expect(again.unacked()).toEqual([]);
    again.close();
  });

  it('opens read-only without repairing or writing', () => {
    const path = join(tempDir(), 'journal.jsonl');
    appendFileSync(path, '{"t":"start","id":"x","at":"a","exp":"b","action":"c"}\n{"torn');
    const j = Journal.open(path, { readOnly: true });
    expect(j.has('x')).toBe(true);
    expect(() => j.recordAck('x')).not.toThrow();
    expect(() => j.recordStart('y', { action: 'a', expiresAt: exp(1) })).toThrow(/read-only/);
    expect(readFileSync(path, 'utf8').endsWith('{"torn')).toBe(true);
  });
});
