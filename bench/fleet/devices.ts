/**
 * @module Devices for the fleet: one real enrollment through the API (which also hands out the server's signing key),
 * then the rest fast. On PostgreSQL they are inserted in one statement with one shared Ed25519 key; on PGlite
 * (one process owns the database) they go through the enroll API, many at a time.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { BenchBackend } from '../lib/backend';

export interface FleetDevices {
  ids: string[];
  deviceKey: KeyObject;
  serverKey: KeyObject;
  serverKeyId: string;
}

type Post = (path: string, body: unknown, headers?: Record<string, string>) => Promise<Record<string, unknown>>;

export function poster(backend: BenchBackend, token: string): Post {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return async (path, body, headers = auth) => {
    const res = await fetch(`${backend.url}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
}

export async function seedFleetDevices(backend: BenchBackend, token: string, count: number, databaseUrl?: string): Promise<FleetDevices> {
  const post = poster(backend, token);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyDer = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const { token: enrollToken } = (await post('/enrollment-tokens', { oneTime: false, maxUses: count + 1 })) as { token: string };
  const enroll = (i: number) =>
    post('/enroll', { token: enrollToken, publicKey: publicKeyDer, name: `sim-${i}`, platform: 'linux', osVersion: '12', agentVersion: 'fleet-sim' }, { 'content-type': 'application/json' });
  const first = (await enroll(0)) as { deviceId: string; serverPublicKey: string; serverKeyId: string };
  const ids = [first.deviceId];
  if (databaseUrl) {
    const { default: postgres } = await import('postgres');
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ id: string }[]>`
        insert into devices (name, platform, os_version, agent_version, public_key)
        select 'sim-' || g, 'linux', '12', 'fleet-sim', ${publicKeyDer} from generate_series(1, ${count - 1}) g
        returning id`;
      ids.push(...rows.map((r) => r.id));
    } finally {
      await sql.end();
    }
  } else {
    let next = 1;
    const worker = async () => {
      while (next < count) ids.push(((await enroll(next++)) as { deviceId: string }).deviceId);
    };
    await Promise.all(Array.from({ length: 16 }, worker));
  }
  return {
    ids,
    deviceKey: privateKey,
    serverKey: createPublicKey({ key: Buffer.from(first.serverPublicKey, 'base64'), format: 'der', type: 'spki' }),
    serverKeyId: first.serverKeyId,
  };
}
