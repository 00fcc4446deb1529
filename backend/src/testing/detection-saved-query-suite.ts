/**
 * @module Detection rules narrowed to a saved query (a dynamic category): they fire only on devices the query selects
 * when they match, a device that joins the category later is watched too, and the saved query cannot be deleted under them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDetectionBench, type DetectionBench } from './detection';
import { seedDevices } from './fleet';

export function detectionSavedQuerySuite(database: 'pglite' | 'postgres') {
  describe(`detection rules on a saved query (${database})`, () => {
    let b: DetectionBench;
    let admin: Record<string, string>;
    let pilot: string[];
    let later: string;
    let savedId: string;
    let ruleId: string;
    const fired = async () => (await b.runs(ruleId)).map((e) => e.deviceId).sort();

    beforeAll(async () => {
      b = await startDetectionBench({ database });
      admin = await b.t.as('admin');
      pilot = await seedDevices(b.ctx, 2, { platform: 'linux', tags: ['ring:pilot'], namePrefix: 'pilot' });
      later = (await seedDevices(b.ctx, 1, { platform: 'linux', namePrefix: 'other' }))[0]!;
      const saved = await b.t.call('POST', '/api/v1/saved-queries', { headers: admin, body: { name: 'Pilot ring', query: 'devices | where tags contains "ring:pilot"' } });
      expect(saved.status, JSON.stringify(saved.body)).toBe(201);
      savedId = saved.body.id;
    });
    afterAll(() => b?.close());

    it('fires only on matching devices the saved query selects', async () => {
      const res = await b.t.call('POST', '/api/v1/detections', {
        headers: admin,
        body: { name: 'Pilot low disk', condition: 'disk.free_pct < 10', action: 'heal-disk', savedQuery: 'Pilot ring', guards: { canaryPercent: 0 } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.savedQuery).toEqual({ id: savedId, name: 'Pilot ring' });
      ruleId = res.body.id;
      await b.setFacts([...pilot, later], { disk: { free_pct: 5 } });
      expect(await fired()).toEqual([...pilot].sort());
      const dry = await b.t.call('POST', `/api/v1/detections/${ruleId}/dry-run`, { headers: admin });
      expect(dry.body.matching).toBe(2);
    });

    it('watches a device that joins the category later', async () => {
      const tagged = await b.t.call('PATCH', `/api/v1/devices/${later}`, { headers: admin, body: { tags: ['ring:pilot'] } });
      expect(tagged.status, JSON.stringify(tagged.body)).toBe(200);
      await b.setFacts([later], { disk: { free_pct: 4 } });
      expect(await fired()).toEqual([...pilot, later].sort());
    });

    it('keeps the saved query while a rule uses it, and refuses an unknown one', async () => {
      const refused = await b.t.call('DELETE', `/api/v1/saved-queries/${savedId}`, { headers: admin });
      expect(refused.status).toBe(409);
      const unknown = await b.t.call('POST', '/api/v1/detections', {
        headers: admin,
        body: { name: 'Nowhere', condition: 'disk.free_pct < 10', action: 'heal-disk', savedQuery: 'No such query' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/No such query/);
    });
  });
}
