/**
 * @module A seeded fleet for query tests: devices with varied facts (nested and flat, numbers, numeric strings,
 * junk) and action outputs, plus executions, inserted in one statement per table. The same objects are returned,
 * so tests can compute expected answers in plain JavaScript.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { executionStatuses, type ExecutionStatus, type Platform } from '@fixpoint/protocol';
import type { Db } from '../db';
import { actions, actionVersions, executionRequests } from '../db/schema';

export interface FleetDevice {
  id: string;
  name: string;
  platform: Platform;
  osVersion: string;
  agentVersion: string;
  tags: string[];
  online: boolean;
  lastSeen: Date | null;
  enrolledAt: Date;
  facts: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface FleetExecution {
  id: string;
  deviceId: string;
  action: string;
  status: ExecutionStatus;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number | null;
}

export interface Fleet {
  devices: FleetDevice[];
  executions: FleetExecution[];
}

export const fleetActions = ['clear-temp', 'disk-usage', 'restart-spooler'] as const;

/** Small deterministic PRNG (mulberry32), so a seed always gives the same fleet. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildFleet(options: { devices: number; executions: number; now: Date; seed?: number }): Fleet {
  const rnd = prng(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const now = options.now.getTime();
  const day = 86_400_000;
  const osNames: Record<Platform, string[]> = { linux: ['Ubuntu 22.04', 'ubuntu 24.04', 'Debian 12'], windows: ['Windows 11 Pro', 'Windows 10'], macos: ['macOS 14', 'macOS 15'] };
  const devices: FleetDevice[] = [];
  for (let i = 0; i < options.devices; i++) {
    const platform = pick(['windows', 'windows', 'macos', 'linux'] as const);
    const r = rnd();
    // free space: mostly numbers, some numeric strings, some junk, some missing
    const freePct = r < 0.7 ? Math.round(rnd() * 1000) / 10 : r < 0.8 ? String(Math.round(rnd() * 100)) : r < 0.85 ? 'n/a' : r < 0.9 ? true : undefined;
    const values: Record<string, unknown> = {
      'disk.free_pct': freePct,
      'memory.free': Math.floor(rnd() * 16 * 1024 ** 3),
      'os.name': pick(osNames[platform]),
      'cpu.cores': pick([2, 4, 8, 16]),
    };
    const facts: Record<string, unknown> = { hostname: `${rnd() < 0.5 ? 'HOST' : 'host'}-${i}` };
    const flat = rnd() < 0.15;
    for (const [path, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const [group, key] = path.split('.') as [string, string];
      if (flat) facts[path] = value;
      else ((facts[group] ??= {}) as Record<string, unknown>)[key] = value;
    }
    const outputs: Record<string, unknown> = {};
    const o = rnd();
    if (o < 0.8) outputs['disk-usage.free_bytes'] = Math.floor(rnd() * 50 * 1024 ** 3);
    else if (o < 0.85) outputs['disk-usage.free_bytes'] = 'unknown';
    if (rnd() < 0.3) outputs['inventory.apps'] = ['chrome', 'firefox', 'slack', 'zoom'].filter(() => rnd() < 0.5);
    devices.push({
      id: randomUUID(),
      name: `pc-${String(i).padStart(6, '0')}`,
      platform,
      osVersion: `${Math.floor(rnd() * 5) + 10}.${Math.floor(rnd() * 10)}`,
      agentVersion: pick(['0.1.0', '0.2.0']),
      tags: ['site:paris', 'site:lyon', 'lab', 'vip'].filter(() => rnd() < 0.3),
      online: rnd() < 0.3,
      lastSeen: rnd() < 0.05 ? null : new Date(now - Math.floor(rnd() * 30 * day)),
      enrolledAt: new Date(now - Math.floor((30 + rnd() * 370) * day)),
      facts,
      outputs,
    });
  }
  const executions: FleetExecution[] = [];
  for (let i = 0; i < options.executions; i++) {
    const status = pick(executionStatuses);
    const createdAt = new Date(now - Math.floor(rnd() * 3 * day));
    const started = status !== 'queued' && status !== 'delivered' && status !== 'expired';
    const startedAt = started ? new Date(createdAt.getTime() + Math.floor(rnd() * 60_000)) : null;
    const finished = started && status !== 'running';
    executions.push({
      id: randomUUID(),
      deviceId: pick(devices).id,
      action: pick(fleetActions),
      status,
      createdAt,
      startedAt,
      finishedAt: finished ? new Date(startedAt!.getTime() + Math.floor(rnd() * 600_000)) : null,
      exitCode: status === 'succeeded' ? 0 : status === 'failed' ? 1 + Math.floor(rnd() * 3) : null,
    });
  }
  return { devices, executions };
}

/** Inserts the fleet: one INSERT … SELECT over a JSON array per table (far below any parameter limit). */
export async function insertFleet(db: Db, fleet: Fleet): Promise<void> {
  const deviceRows = fleet.devices.map((d) => ({ ...d, lastSeen: d.lastSeen?.toISOString() ?? null, enrolledAt: d.enrolledAt.toISOString() }));
  await db.execute(sql`insert into devices (id, name, platform, os_version, agent_version, public_key, tags, facts, outputs, online, last_seen, enrolled_at)
    select (x->>'id')::uuid, x->>'name', x->>'platform', x->>'osVersion', x->>'agentVersion', 'test-key',
      array(select jsonb_array_elements_text(x->'tags')), x->'facts', x->'outputs', (x->>'online')::boolean,
      (x->>'lastSeen')::timestamptz, (x->>'enrolledAt')::timestamptz
    from jsonb_array_elements(${JSON.stringify(deviceRows)}::jsonb) as x`);

  if (fleet.executions.length === 0) return;
  const ids = new Map<string, { actionId: string; versionId: string; requestId: string }>();
  for (const slug of fleetActions) {
    const [action] = await db.insert(actions).values({ slug, name: slug, latestVersion: 1 }).returning();
    const [version] = await db
      .insert(actionVersions)
      .values({ actionId: action!.id, version: 1, definition: { slug } as never, scriptHashes: {}, createdBy: 'test' })
      .returning();
    const [request] = await db.insert(executionRequests).values({ actionVersionId: version!.id, requestedBy: 'test', trigger: 'api', principalId: 'test' }).returning();
    ids.set(slug, { actionId: action!.id, versionId: version!.id, requestId: request!.id });
  }
  const executionRows = fleet.executions.map((e) => ({
    ...ids.get(e.action)!,
    id: e.id,
    deviceId: e.deviceId,
    status: e.status,
    createdAt: e.createdAt.toISOString(),
    startedAt: e.startedAt?.toISOString() ?? null,
    finishedAt: e.finishedAt?.toISOString() ?? null,
    exitCode: e.exitCode,
  }));
  await db.execute(sql`insert into executions (id, request_id, device_id, action_id, action_version_id, status, trigger, requested_by, signature,
      issued_at, expires_at, created_at, started_at, finished_at, exit_code)
    select (x->>'id')::uuid, (x->>'requestId')::uuid, (x->>'deviceId')::uuid, (x->>'actionId')::uuid, (x->>'versionId')::uuid,
      x->>'status', 'api', 'test', 'sig', (x->>'createdAt')::timestamptz, (x->>'createdAt')::timestamptz + interval '1 day',
      (x->>'createdAt')::timestamptz, (x->>'startedAt')::timestamptz, (x->>'finishedAt')::timestamptz, (x->>'exitCode')::int
    from jsonb_array_elements(${JSON.stringify(executionRows)}::jsonb) as x`);
}
