/**
 * API throughput: the launch endpoint (one device, authenticated, validated, stored) against a bare Hono POST that
 * parses and validates a body of the same size, both as separate processes driven by autocannon from this one.
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

async function startBare(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/bare-hono.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => {
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
  try {
    bareGet = await load({ url: `${bare.url}/ping`, method: 'GET', seconds: options.seconds });
    const body = JSON.stringify({ action: 'bench-noop', devices: [crypto.randomUUID()], parameters: { Reason: 'benchmark run' }, triggerInfo: { reason: 'bench' } });
    barePost = await load({ url: `${bare.url}/launch`, method: 'POST', body, seconds: options.seconds });
  } finally {
    await bare.stop();
  }
  const figure = (kind: string, rate: number): Figure => ({
    name: `API: launch endpoint (${kind})`, value: rate, unit: 'req/s', baseline: barePost, ratio: rate / barePost, target: '≥ 0.5× bare POST', ok: rate / barePost >= 0.5,
  });
  const figures: Figure[] = [
    { name: 'API: bare Hono GET', value: bareGet, unit: 'req/s', target: 'reference', note: `bare POST is ${(bareGet / barePost).toFixed(1)}× slower than GET` },
    figure('PGlite', await launchRate(options.seconds)),
  ];
  if (options.databaseUrl) figures.push(figure('PostgreSQL', await launchRate(options.seconds, options.databaseUrl)));
  return figures;
}
