import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { devices } from '../../db/schema';
import { QuerySyntaxError } from '../query';
import { createTestBackend, type TestBackend } from '../../testing/harness';
import { seedDevices } from '../../testing/fleet';
import { matchDevicePages, parseDeviceCondition, parseDeviceTarget } from './targets';

const now = new Date('2025-05-01T00:00:00Z');

function syntaxError(fn: () => unknown): QuerySyntaxError {
  try {
    fn();
  } catch (error) {
    if (error instanceof QuerySyntaxError) return error;
    throw error;
  }
  throw new Error('expected a QuerySyntaxError');
}

describe('device targets', () => {
  let t: TestBackend;
  let ids: string[];
  const collect = async (pages: AsyncGenerator<{ id: string }[]>) => {
    const out: string[][] = [];
    for await (const page of pages) out.push(page.map((d) => d.id));
    return out;
  };

  beforeAll(async () => {
    t = await createTestBackend();
    ids = await seedDevices(t.ctx, 10, { platform: 'linux' });
    await seedDevices(t.ctx, 2, { platform: 'windows' });
    await t.ctx.db.update(devices).set({ facts: { disk: { free_pct: 5 } } }).where(eq(devices.id, ids[0]!));
  });
  afterAll(() => t.close());

  it('reads every matching device page by page, each once', async () => {
    const pages = await collect(matchDevicePages(t.ctx, parseDeviceTarget('devices | where platform == "linux" | sort name desc', now), { pageSize: 3 }));
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(pages.flat().sort()).toEqual([...ids].sort());
  });

  it('keeps a limit stage as the answer', async () => {
    const pages = await collect(matchDevicePages(t.ctx, parseDeviceTarget('devices | sort name asc | limit 4', now), { pageSize: 3 }));
    expect(pages.map((p) => p.length)).toEqual([3, 1]);
  });

  it('restricts to given devices and returns their platform', async () => {
    const target = parseDeviceCondition('disk.free_pct < 10 or platform == "windows"', now);
    const pages: { id: string; platform: string }[][] = [];
    for await (const page of matchDevicePages(t.ctx, target, { deviceIds: ids.slice(0, 4) })) pages.push(page);
    expect(pages).toEqual([[{ id: ids[0], platform: 'linux' }]]);
  });

  it('positions condition errors on the clause itself', () => {
    const e = syntaxError(() => parseDeviceCondition('disk.free_pct < ', now));
    expect(e.queryError).toMatchObject({ line: 1, column: 17, offset: 16 });
    expect(e.message).toMatch(/^line 1, column 17: /);
    expect(syntaxError(() => parseDeviceCondition('name == "a" | limit 1', now)).message).toMatch(/column 15: a condition cannot add stages/);
    expect(syntaxError(() => parseDeviceCondition('nosuch.x.y == 1 and name > 3', now)).message).toMatch(/name/);
  });

  it('rejects targets that do not select devices', () => {
    expect(syntaxError(() => parseDeviceTarget('executions | limit 1', now)).message).toMatch(/start with 'devices'/);
    expect(syntaxError(() => parseDeviceTarget('devices | summarize count() by platform', now)).queryError.column).toBe(11);
  });
});
