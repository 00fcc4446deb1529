/** The bare baselines for the fleet figures, measured against `bare-server.ts` running as its own process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { root } from '../lib/backend';

export interface BareServer {
  url: string;
  stop(): Promise<void>;
}

/** `databaseUrl` puts the durable baseline on that PostgreSQL database; PGlite otherwise. */
export async function startBareServer(databaseUrl?: string): Promise<BareServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/fleet/bare-server.ts')], {
    cwd: root,
    env: { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = d.toString().match(/running at (\S+)/);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return {
    url,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const open = (url: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });

/**
 * One bare HTTP POST (to `path`: `/echo` answers at once, `/durable` after one commit) plus one bare WebSocket round
 * trip, `runs` times in a row; returns each pair's time (ms).
 */
export async function bareRoundTrips(server: BareServer, runs: number, body: string, path = '/echo'): Promise<number[]> {
  const ws = await open(server.url);
  const samples: number[] = [];
  try {
    for (let i = 0; i < runs + 5; i++) {
      const start = performance.now();
      await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.text());
      await new Promise<void>((resolve) => {
        ws.once('message', () => resolve());
        ws.send('ping');
      });
      if (i >= 5) samples.push(performance.now() - start);
    }
  } finally {
    ws.close();
  }
  return samples;
}

/** Connects `count` bare clients, then times one POST that broadcasts `frame` until every client received it (ms). */
export async function bareBroadcast(server: BareServer, count: number, frame: string): Promise<number> {
  const clients: WebSocket[] = [];
  try {
    for (let i = 0; i < count; i += 500) clients.push(...(await Promise.all(Array.from({ length: Math.min(500, count - i) }, () => open(server.url)))));
    let received = 0;
    const all = new Promise<void>((resolve) => {
      for (const ws of clients)
        ws.once('message', () => {
          if (++received === count) resolve();
        });
    });
    const start = performance.now();
    await fetch(`${server.url}/broadcast`, { method: 'POST', body: frame });
    await all;
    return performance.now() - start;
  } finally {
    for (const ws of clients) ws.terminate();
    await new Promise((r) => setTimeout(r, 500));
  }
}
