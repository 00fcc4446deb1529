/**
 * @module The audit chain suite, run on PGlite (services/audit/chain.test.ts) and on PostgreSQL (chain.pg.test.ts):
 * the chain is anchored by signed checkpoints, seqs never come back, and times are hashed as stored.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '@fixpoint/protocol';
import { rowsOf } from '../db/rows';
import { appendAudit, appendAuditMany } from '../services/audit';
import { entryHash } from '../services/audit/append';
import { createTestBackend, type TestBackend } from './harness';
import { seedAdmin } from './identity';

type Row = { seq: number; at: string; actor: string; action: string; target: string | null; details: Record<string, unknown>; prev_hash: string; hash: string };

export function auditChainSuite(database: 'pglite' | 'postgres') {
  describe(`audit chain (${database})`, () => {
    let t: TestBackend;
    let admin: Record<string, string>;
    const q = async (query: ReturnType<typeof sql>) => rowsOf(await t.ctx.db.execute(query));
    const verifyChain = async () => (await t.call('GET', '/api/v1/audit/verify', { headers: admin })).body;
    const addRoles = async (...names: string[]) => {
      for (const name of names) expect((await t.call('POST', '/api/v1/roles', { headers: admin, body: { name, permissions: ['devices:read'] } })).status).toBe(201);
    };
    const entries = async (): Promise<Row[]> =>
      (await q(sql`select seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, actor, action, target, details, prev_hash, hash
        from audit_log order by seq`)).map((r) => ({ ...r, seq: Number(r.seq) }) as Row);
    const headSeq = async () => Number((await q(sql`select max(seq) as m from audit_log`))[0]!.m);

    beforeEach(async () => {
      t = await createTestBackend({ database });
      admin = await seedAdmin(t);
    });
    afterEach(() => t.close());

    it('writes one signed checkpoint per batch, exported with the key that checks it off the server', async () => {
      await t.ctx.db.transaction((tx) =>
        appendAuditMany(tx, ['a', 'b', 'c'].map((n) => ({ input: { actor: 'test', action: `batch.${n}` }, at: new Date() }))),
      );
      const head = await headSeq();
      const res = await t.call('GET', '/api/v1/audit/checkpoints?limit=1000', { headers: admin });
      expect(res.status).toBe(200);
      const { items, publicKey, keyId } = res.body;
      // the batch of three got one checkpoint, on its last entry
      expect(items.map((c: { seq: number }) => c.seq)).not.toContain(head - 1);
      expect(items.at(-1)).toMatchObject({ seq: head, hash: (await entries()).at(-1)!.hash, keyId });
      const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
      for (const c of items) {
        expect(c.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        const message = `fixpoint-audit-checkpoint-v1\n${c.seq}\n${c.hash}\n${c.at}`;
        expect(verify(null, Buffer.from(message), key, Buffer.from(c.signature, 'base64'))).toBe(true);
      }
      const paged = await t.call('GET', `/api/v1/audit/checkpoints?limit=1`, { headers: admin });
      expect(paged.body.items).toHaveLength(1);
      expect(paged.body.next).toBe(paged.body.items[0].seq);
      expect((await t.call('GET', '/api/v1/audit/checkpoints?after=-1', { headers: admin })).status).toBe(400);
      expect((await t.call('GET', '/api/v1/audit/checkpoints', { headers: await t.as('support') })).status).toBe(403);
      expect(await verifyChain()).toMatchObject({ ok: true, head, checkpoints: items.length, unanchored: 0, lastCheckpoint: { seq: head } });
    });

    it('reports removed newest entries, and never hands their seqs out again', async () => {
      await addRoles('r1', 'r2', 'r3');
      const head = await headSeq();
      await q(sql`delete from audit_log where seq > ${head - 2}`);
      expect(await verifyChain()).toMatchObject({ ok: false, problem: 'truncated', brokenAt: head - 1, head: head - 2 });
      await addRoles('r4');
      const after = await entries();
      expect(after.at(-1)).toMatchObject({ seq: head + 1, target: 'role:r4' });
      expect(await verifyChain()).toMatchObject({ ok: false, problem: 'gap', brokenAt: head - 1 });
    });

    it('finds an old entry rewritten with every later hash recomputed', async () => {
      await addRoles('r1', 'r2', 'r3', 'r4');
      const rows = await entries();
      const victim = rows.find((r) => r.target === 'role:r2')!;
      let prevHash = rows[rows.indexOf(victim) - 1]!.hash;
      for (const row of rows.slice(rows.indexOf(victim))) {
        const details = row === victim ? { name: 'r2', permissions: ['admin'] } : row.details;
        const hash = entryHash({ ...row, details, prevHash, version: 2 });
        await q(sql`update audit_log set details = ${JSON.stringify(details)}::jsonb, prev_hash = ${prevHash}, hash = ${hash} where seq = ${row.seq}`);
        prevHash = hash;
      }
      expect(await verifyChain()).toMatchObject({ ok: false, problem: 'rewritten', brokenAt: victim.seq });
    });

    it('hashes the time at the microseconds the column stores', async () => {
      await addRoles('r1', 'r2');
      expect(await verifyChain()).toMatchObject({ ok: true });
      const seq = (await entries()).find((r) => r.target === 'role:r1')!.seq;
      await q(sql`update audit_log set at = at + interval '1 microsecond' where seq = ${seq}`);
      expect(await verifyChain()).toMatchObject({ ok: false, problem: 'altered', brokenAt: seq });
    });

    it('catches a removed checkpoint and one signed with another key', async () => {
      await addRoles('r1', 'r2');
      const head = await headSeq();
      await q(sql`delete from audit_checkpoint where seq = ${head}`);
      expect(await verifyChain()).toMatchObject({ ok: false, problem: 'unanchored', brokenAt: head });
      const forger = generateKeyPairSync('ed25519').privateKey;
      const { hash, at } = (await entries()).at(-1)!;
      const signature = sign(null, Buffer.from(`fixpoint-audit-checkpoint-v1\n${head}\n${hash}\n${at}`), forger).toString('base64');
      await q(sql`insert into audit_checkpoint (seq, hash, at, key_id, signature) values (${head}, ${hash}, ${at}::timestamptz, ${t.ctx.signingKey.keyId}, ${signature})`);
      expect(await verifyChain()).toMatchObject({ ok: false, problem: 'bad_signature', brokenAt: head });
    });

    it('still verifies entries written before checkpoints existed, and anchors them with the next append', async () => {
      await q(sql`delete from audit_checkpoint`);
      await q(sql`delete from audit_log`);
      // entries as the old format wrote them: time at milliseconds, no version column set
      let prevHash = '0'.repeat(64);
      const at = new Date('2026-03-01T10:00:00.123Z');
      for (const seq of [1, 2, 3]) {
        const entry = { seq, at: at.toISOString(), actor: 'system', action: 'old.entry', target: null, details: { n: seq } };
        const hash = createHash('sha256').update(prevHash).update(canonicalJson(entry)).digest('hex');
        await q(sql`insert into audit_log (seq, at, actor, action, target, details, prev_hash, hash)
          values (${seq}, ${entry.at}::timestamptz, 'system', 'old.entry', null, ${JSON.stringify(entry.details)}::jsonb, ${prevHash}, ${hash})`);
        prevHash = hash;
      }
      expect(await verifyChain()).toMatchObject({ ok: true, checked: 3, checkpoints: 0, unanchored: 3 });
      await t.ctx.db.transaction((tx) => appendAudit(tx, { actor: 'test', action: 'new.entry' }));
      expect(await verifyChain()).toMatchObject({ ok: true, checked: 4, checkpoints: 1, unanchored: 0, head: 4 });
      await q(sql`update audit_log set at = at + interval '1 microsecond' where seq = 2`);
      expect(await verifyChain()).toMatchObject({ ok: false, problem: 'altered', brokenAt: 2 });
    });
  });
}
