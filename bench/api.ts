/**
 * API throughput: the launch endpoint (one device, authenticated, validated, stored) against the durable baseline, a
 * bare Hono server that validates the same body and then commits one transaction of three inserts (request, execution,
 * audit row) on the same database, under the same load. The bare POST (validation only, through Hono's Web Request
 * and straight from Node's request stream) stays as a reference. Each server is its own process, driven by autocannon
 * from this one.
 */
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Figure } from './lib/report';
import { root, startBackend, type BenchBackend } from './lib/backend';

async function load(opts: { url: string; method: 'GET' | 'POST'; body?: string; headers?: Record<string, string>; seconds: number }) {
  const result = await autocannon({
    url: opts.url,
    method: opts.method,
    body: opts.body,
    headers: { 'content-type': 'application/json', ...opts.headers },
    connections: 16,
    duration: opts.seconds,
  });
  if (result.non2xx > 0) throw new Error(`${opts.url}: ${result.non2xx} non-2xx answers`);
  return result.requests.average;
}

async function startBare(env: Record<string, string> = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/bare-hono.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      const m = d.toString().match(/running at (\S+)/);
      if (m) resolve(m[1]!);
    });
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const bareBody = () =>
  JSON.stringify({ action: 'bench-noop', devices: [crypto.randomUUID()], parameters: { Reason: 'benchmark run' }, triggerInfo: { reason: 'bench' } });

/** The naive durable design on the same database: validation, then one transaction of three inserts per request. */
async function durableRate(seconds: number, databaseUrl?: string): Promise<number> {
  const bare = await startBare(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  try {
    return await load({ url: `${bare.url}/durable`, method: 'POST', body: bareBody(), seconds });
  } finally {
    await bare.stop();
  }
}

/** Creates an action and one enrolled device through the public API; returns the launch body. */
async function seed(backend: BenchBackend, token: string): Promise<string> {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
    fetch(`${backend.url}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, string>>);
  await post('/actions', { slug: 'bench-noop', name: 'Bench no-op', purpose: 'data_collection', scripts: { linux: { source: 'true' } }, parameters: [{ name: 'Reason', type: 'string' }] });
  const { token: enrollToken } = await post('/enrollment-tokens', { oneTime: true });
  const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const device = await post('/enroll', { token: enrollToken, publicKey, name: 'bench-pc', platform: 'linux', osVersion: '12', agentVersion: 'bench' }, { 'content-type': 'application/json' });
  return JSON.stringify({ action: 'bench-noop', devices: [device.deviceId], parameters: { Reason: 'benchmark run' }, triggerInfo: { reason: 'bench' } });
}

/** Launch throughput on one backend; `databaseUrl` selects PostgreSQL, PGlite otherwise. */
async function launchRate(seconds: number, databaseUrl?: string): Promise<number> {
  const backend = await startBackend(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  try {
    const token = await backend.token();
    const body = await seed(backend, token);
    return await load({ url: `${backend.url}/api/v1/executions`, method: 'POST', body, headers: { authorization: `Bearer ${token}` }, seconds });
  } finally {
    await backend.stop();
  }
}

export async function benchApi(options: { seconds: number; databaseUrl?: string | null }): Promise<Figure[]> {
  const bare = await startBare();
  let bareGet: number;
  let barePost: number;
  let bareNodePost: number;
  try {
    bareGet = await load({ url: `${bare.url}/ping`, method: 'GET', seconds: options.seconds });
    barePost = await load({ url: `${bare.url}/launch`, method: 'POST', body: bareBody(), seconds: options.seconds });
    bareNodePost = await load({ url: `${bare.url}/launch-node`, method: 'POST', body: bareBody(), seconds: options.seconds });
  } finally {
    await bare.stop();
  }
  const launch = async (kind: string, databaseUrl?: string): Promise<Figure[]> => {
    const durable = await durableRate(options.seconds, databaseUrl);
    const rate = await launchRate(options.seconds, databaseUrl);
    return [
      { name: `API: durable baseline (${kind})`, value: durable, unit: 'req/s', target: 'reference', note: `validation + 1 transaction of 3 inserts per request` },
      {
        name: `API: launch endpoint (${kind})`, value: rate, unit: 'req/s', baseline: durable, ratio: rate / durable, target: '≥ 1.5× durable baseline', ok: rate / durable >= 1.5,
        note: `${(rate / barePost).toFixed(2)}× the bare POST`,
      },
    ];
  };
  const figures: Figure[] = [
    { name: 'API: bare Hono GET', value: bareGet, unit: 'req/s', target: 'reference', note: `bare POST is ${(bareGet / barePost).toFixed(1)}× slower than GET` },
    { name: 'API: bare Hono POST (Web Request body)', value: barePost, unit: 'req/s', target: 'reference' },
    {
      name: 'API: bare Hono POST (Node stream body)', value: bareNodePost, unit: 'req/s', baseline: barePost, ratio: bareNodePost / barePost, target: 'reference',
      note: 'the same POST reading the body from the Node request instead of the Web Request',
    },
    ...(await launch('PGlite')),
  ];
  if (options.databaseUrl) figures.push(...(await launch('PostgreSQL', options.databaseUrl)));
  return figures;
}
