/**
 * @module `POST /executions?wait=N` with a real agent process against a listening backend, on PGlite or on a PostgreSQL
 * database created for the suite and dropped afterwards: outputs inline when the run ends within the wait, 202 otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentProcess, buildAgentBundle, greetAction } from './agent-process';
import { createPostgresDb } from './harness';
import { enrollmentToken, startLiveBackend, waitUntil, type LiveBackend } from './live';

export function executionWaitSuite(database: 'pglite' | 'postgres') {
  describe(`POST /executions?wait=N with a real agent (${database})`, () => {
    let live: LiveBackend;
    let agent: AgentProcess;
    let dropDatabase = async () => {};

    beforeAll(async () => {
      const bundle = buildAgentBundle();
      let databaseUrl: string | undefined;
      if (database === 'postgres') {
        const db = await createPostgresDb();
        databaseUrl = db.url;
        dropDatabase = () => db.close();
      }
      live = await startLiveBackend({ databaseUrl });
      const created = await live.api('POST', '/actions', greetAction);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      agent = new AgentProcess(bundle);
      await agent.enroll(live.url, await enrollmentToken(live.api));
      agent.start();
      await waitUntil(() => live.backend.ctx.dispatcher.isOnline(agent.deviceId), 30_000, 'agent connected');
    }, 120_000);
    afterAll(async () => {
      await agent?.dispose();
      await live?.stop();
      await dropDatabase();
    });

    const body = (parameters: Record<string, unknown>) => ({ action: 'greet', devices: [agent.deviceId], parameters: { Who: 'bo', ...parameters } });
    const ended = (id: string) =>
      waitUntil(async () => {
        const e = (await live.api('GET', `/executions/${id}`)).body;
        return !['queued', 'delivered', 'running'].includes(e.status) && e;
      }, 30_000, `execution ${id} ended`);

    it('answers with the execution and its outputs inline when the run ends within the wait', async () => {
      const quick = await live.api('POST', '/executions?wait=60', body({ Times: 4 }));
      expect(quick.status, JSON.stringify(quick.body)).toBe(200);
      expect(quick.body.execution).toMatchObject({ status: 'succeeded', deviceId: agent.deviceId, outputs: { greeting: 'hi bo', count: 4 }, exitCode: 0 });
      expect(quick.body.executions).toEqual([{ id: quick.body.execution.id, deviceId: agent.deviceId, status: 'succeeded' }]);
      // a run that ends in a failure within the wait is answered inline too
      const failing = await live.api('POST', '/executions?wait=60', body({ Exit: 3 }));
      expect(failing.status, JSON.stringify(failing.body)).toBe(200);
      expect(failing.body.execution).toMatchObject({ status: 'failed', exitCode: 3 });
    });

    it('answers 202 as without a wait when the run outlasts it, and refuses a wait past 60 s', async () => {
      const slow = await live.api('POST', '/executions?wait=1', body({ Sleep: '5' }));
      expect(slow.status, JSON.stringify(slow.body)).toBe(202);
      expect(slow.body.execution).toBeUndefined();
      expect(slow.body.executions[0].status).not.toBe('succeeded');
      expect((await ended(slow.body.executions[0].id)).status).toBe('succeeded');
      const tooLong = await live.api('POST', '/executions?wait=61', body({}));
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toMatch(/wait/);
    });
  });
}
