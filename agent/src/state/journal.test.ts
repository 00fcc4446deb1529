import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { limits } from '@fixpoint/protocol';
import { failedResult } from '../exec/result';
import { tempDir } from '../testing/helpers';
import { Journal, shownAckedRuns } from './journal';

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

  it('keeps the newest acked runs whole and older acked ids only as seen ids, through compaction and reopening', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const j = Journal.open(path, { compactRecords: 1_000_000 });
    const runs = shownAckedRuns + 300;
    for (let n = 1; n <= runs; n++) {
      j.recordStart(id(n), { action: 'a', expiresAt: exp(3600_000), origin: { kind: 'person', name: 'ana' } });
      j.recordResult(id(n), result(n));
      j.recordAck(id(n));
    }
    const check = (journal: Journal) => {
      expect(journal.size).toBe(runs);
      expect(Array.from({ length: runs }, (_, i) => id(i + 1)).every((x) => journal.has(x))).toBe(true);
      expect(journal.has(id(runs + 1))).toBe(false);
      // the activity view and `status` still see the newest runs whole
      // (several runs start in the same millisecond: compare the sets)
      expect(journal.activity(new Date(0), 10_000).map((e) => e.id).sort()).toEqual(Array.from({ length: shownAckedRuns }, (_, i) => id(runs - shownAckedRuns + 1 + i)));
      expect(journal.get(id(runs))).toMatchObject({ acked: true, origin: { kind: 'person', name: 'ana' }, result: { status: 'failed' } });
      expect(journal.get(id(1))).toBeUndefined();
    };
    check(j);
    j.compact();
    check(j);
    j.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string });
    expect(lines.filter((l) => l.t === 'seen')).toHaveLength(300);
    const again = Journal.open(path);
    check(again);
    again.close();
  });

  it('reads a journal written before seen records existed: every acked id is still a replay, and compaction rewrites it', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const at = new Date().toISOString();
    const runs = shownAckedRuns + 100;
    const old: string[] = [];
    for (let n = 1; n <= runs; n++) {
      old.push(JSON.stringify({ t: 'start', id: id(n), at, exp: exp(3600_000), action: 'a' }));
      old.push(JSON.stringify({ t: 'pid', id: id(n), pid: 4000 + n, ps: '1', dir: `/tmp/run-${n}` }));
      old.push(JSON.stringify({ t: 'result', id: id(n), r: { ...result(n), stdoutTail: 'printed\n' } }));
      old.push(JSON.stringify({ t: 'ack', id: id(n) }));
    }
    old.push(JSON.stringify({ t: 'start', id: id(runs + 1), at, exp: exp(3600_000), action: 'a' }));
    writeFileSync(path, `${old.join('\n')}\n`, { mode: 0o600 });
    const j = Journal.open(path);
    expect(Array.from({ length: runs }, (_, i) => id(i + 1)).every((x) => j.has(x))).toBe(true);
    expect(j.get(id(1))).toBeUndefined();
    expect(j.get(id(runs))).toMatchObject({ acked: true, result: { stdoutTail: '' } });
    expect(j.interrupted().map((e) => e.id)).toEqual([id(runs + 1)]);
    j.compact();
    j.close();
    expect(readFileSync(path, 'utf8')).toContain(`{"t":"seen","id":"${id(1)}"`);
    const again = Journal.open(path);
    expect(again.size).toBe(runs + 1);
    expect(Array.from({ length: runs }, (_, i) => id(i + 1)).every((x) => again.has(x))).toBe(true);
    again.close();
  });

  it('forgets seen ids a day after their envelope expired, by its own clock', () => {
    const path = join(tempDir(), 'journal.jsonl');
    let now = Date.now();
    const j = Journal.open(path, { now: () => new Date(now), compactRecords: 1_000_000 });
    for (let n = 1; n <= shownAckedRuns + 10; n++) {
      j.recordStart(id(n), { action: 'a', expiresAt: new Date(now + 60_000).toISOString() });
      j.recordResult(id(n), result(n));
      j.recordAck(id(n));
    }
    expect(j.has(id(1))).toBe(true);
    now += 60_000 + 23 * 3600_000;
    j.compact();
    expect(j.has(id(1))).toBe(true); // expired 23 hours ago: a clock set back by that much would accept it
    now += 2 * 3600_000;
    j.compact();
    expect(j.has(id(1))).toBe(false);
    expect(j.size).toBe(0);
    j.close();
  });

  it('holds 10,000 acked runs in less than 1.5 MiB', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const used = () => {
      gc();
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    // written as a journal file (what the agent appends, without 20,000 fsyncs), then read the way a restart reads it
    const path = join(tempDir(), 'journal.jsonl');
    const at = new Date().toISOString();
    const lines: string[] = [];
    for (let n = 1; n <= 10_000; n++) {
      lines.push(JSON.stringify({ t: 'start', id: randomUUID(), at, exp: exp(3600_000), action: 'a', o: { kind: 'person', name: 'ana' } }));
      const x = (JSON.parse(lines.at(-1)!) as { id: string }).id;
      lines.push(JSON.stringify({ t: 'pid', id: x, pid: 4000 + n, ps: '123', dir: `/tmp/fixpoint-run-${n}` }));
      lines.push(JSON.stringify({ t: 'result', id: x, r: { ...result(1), executionId: x, startedAt: at } }));
      lines.push(JSON.stringify({ t: 'ack', id: x }));
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    lines.length = 0;
    const before = used();
    const j = Journal.open(path, { readOnly: true });
    const cost = used() - before;
    expect(j.size).toBe(10_000);
    // an entry object with its result cost 669 bytes (6.4 MiB here); a seen id 16 bytes and an expiry, in packed arrays
    expect(cost).toBeLessThan(1.5 * 2 ** 20);
    j.close();
  });
});
