/**
 * Admission control on a real backend (PostgreSQL, a database of its own) with tiny limits: launches past the
 * launch queue's depth, or while agents' reports wait to be stored, are answered 503 `overloaded` with Retry-After,
 * nothing of them is stored, and launches are admitted again once the backlog has drained.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollmentToken, login, RawAgent, startLiveBackend, waitUntil, adminPassword, type LiveBackend } from '../testing/live';

let live: LiveBackend;
let cookie: string;
let agent: RawAgent;

/** One launch on the agent's device, with the raw answer (status, Retry-After, body). */
const launch = async () => {
  const res = await fetch(`${live.url}/api/v1/executions`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'noop', devices: [agent.deviceId], parameters: {} }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
};
const stored = async () => {
  const sql = postgres(live.databaseUrl!, { max: 1, onnotice: () => {} });
  try {
    return Number((await sql`select count(*) as n from executions`)[0]!.n);
  } finally {
    await sql.end();
  }
};

beforeAll(async () => {
  live = await startLiveBackend({ database: 'postgres', env: { FIXPOINT_LAUNCH_QUEUE_LIMIT: '2', FIXPOINT_INGEST_BACKLOG_LIMIT: '10' } });
  cookie = await login(live.url, adminPassword);
  expect((await live.api('POST', '/actions', { slug: 'noop', name: 'No-op', purpose: 'data_collection', scripts: { linux: { source: 'true\n' } } })).status).toBe(201);
  agent = await RawAgent.enroll(live.url, await enrollmentToken(live.api));
});

afterAll(async () => {
  await agent?.close();
  await live?.stop();
});

describe('admission control on launches', () => {
  it('answers 503 overloaded with Retry-After past the launch queue limit, and stores nothing of those launches', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => launch()));
    const refused = answers.filter((a) => a.status === 503);
    const accepted = answers.filter((a) => a.status === 202);
    expect(refused.length + accepted.length).toBe(40);
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.retryAfter).toBe('5');
      expect(r.body.error).toMatchObject({ code: 'overloaded', details: { retryAfterSec: 5 } });
      expect(r.body.error.message).toMatch(/busy storing earlier launches .* try again in 5 s/);
    }
    expect(await stored()).toBe(accepted.length);
    // The queue drained with the answers: the next launch gets in.
    expect((await launch()).status).toBe(202);
  });

  it('lists the 503 and its Retry-After in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${live.url}/api/openapi.json`)).json()) as any;
    const answer = doc.paths['/api/v1/executions'].post.responses['503'];
    expect(answer.description).toMatch(/overloaded/);
    expect(answer.headers['Retry-After'].schema).toEqual({ type: 'integer' });
  });

  it('answers 503 while reports from agents wait to be stored, and admits launches once they are', async () => {
    await agent.connect();
    // A burst of progress reports (for executions that do not exist: each is still a write to try) queues up on the
    // connection, which handles them one at a time.
    const at = new Date().toISOString();
    for (let i = 0; i < 1000; i++) agent.send({ type: 'status', executionId: randomUUID(), status: 'running', at });
    await waitUntil(() => live.backend.channel.hub.backlog() >= 10, 10_000, 'reports waiting');
    const refused = await launch();
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('5');
    expect(refused.body.error.code).toBe('overloaded');
    expect(refused.body.error.message).toMatch(/busy storing results from devices/);
    const before = await stored();
    await waitUntil(() => live.backend.channel.hub.backlog() === 0, 30_000, 'reports stored');
    await new Promise((r) => setTimeout(r, 150));
    expect((await launch()).status).toBe(202);
    expect(await stored()).toBe(before + 1);
  }, 60_000);
});
