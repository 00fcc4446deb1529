import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices } from '../../db/schema';
import { sampleAction } from '../../testing/actions';
import { insertDevice } from '../../testing/campaigns';
import { seedAction } from '../../testing/fleet';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { runQuery } from './run';

describe('remote_action columns', () => {
  let t: TestBackend;
  let id: string;
  beforeAll(async () => {
    t = await createTestBackend();
    await seedAction(
      t.ctx,
      sampleAction({
        slug: 'disk-usage',
        outputs: [
          { name: 'free_bytes', type: 'size' },
          { name: 'free_ratio', type: 'ratio' },
          { name: 'healthy', type: 'bool' },
          { name: 'checked_at', type: 'datetime' },
          { name: 'volumes', type: 'string-list' },
        ],
      }),
    );
    id = await insertDevice(t, { name: 'pc-1' });
    const outputs = {
      'disk-usage.free_bytes': 81608687616,
      'disk-usage.free_ratio': 0.3016,
      'disk-usage.healthy': true,
      'disk-usage.checked_at': '2025-03-01T12:00:00.000Z',
      'disk-usage.volumes': ['C:', 'D:'],
      'gone.value': 3,
    };
    await t.ctx.db.update(devices).set({ outputs }).where(eq(devices.id, id));
  });
  afterAll(() => t.close());

  it('reports the type each output declares, not json', async () => {
    const result = await runQuery(t.ctx, {
      query:
        'devices | list name, remote_action.disk_usage.free_bytes, remote_action.disk-usage.free_ratio, remote_action.disk-usage.healthy, ' +
        'remote_action.disk-usage.checked_at, remote_action.disk-usage.volumes, remote_action.disk-usage.missing, remote_action.gone.value',
    });
    expect(result.columns.map(({ type, outputType }) => [type, outputType])).toEqual([
      ['string', undefined],
      ['number', 'size'],
      ['number', 'ratio'],
      ['boolean', 'bool'],
      ['datetime', 'datetime'],
      ['string-list', 'string-list'],
      // an output no version declares, and an action that does not exist, stay free-form
      ['json', undefined],
      ['json', undefined],
    ]);
    expect(result.rows).toEqual([['pc-1', 81608687616, 0.3016, true, '2025-03-01T12:00:00.000Z', ['C:', 'D:'], null, 3]]);
  });

  it('keeps the declared type through summarize by', async () => {
    const result = await runQuery(t.ctx, { query: 'devices | summarize count() by remote_action.disk-usage.healthy' });
    expect(result.columns).toEqual([
      { name: 'remote_action.disk-usage.healthy', type: 'boolean', outputType: 'bool' },
      { name: 'count', type: 'number' },
    ]);
  });
});
