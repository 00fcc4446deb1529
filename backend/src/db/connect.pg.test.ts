/**
 * Starting against a PostgreSQL that cannot be reached, with real processes: the backend ends with one line naming
 * host, port, database and cause, and it waits for a database that appears within FIXPOINT_DATABASE_WAIT_SEC.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAdminUrl } from '../testing/harness';
import { describeConnectionError, waitForDatabase } from './connect';

const backendDir = new URL('../../', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Run {
  code: Promise<number | null>;
  output: () => string;
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

/** `node src/main.ts` (through tsx) with this DATABASE_URL; stdout and stderr together. */
function startMain(databaseUrl: string, waitSec: number): Run {
  const dataDir = mkdtempSync(join(tmpdir(), 'fixpoint-dbwait-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: backendDir,
    env: { ...process.env, DATABASE_URL: databaseUrl, FIXPOINT_DATABASE_WAIT_SEC: String(waitSec), FIXPOINT_DATA_DIR: dataDir, PORT: '0', FIXPOINT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    out += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return {
    code,
    output: () => out,
    waitFor: (pattern, ms = 90_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${out}`)), ms);
        const check = () => {
          const m = pattern.exec(out);
          if (!m) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(m[0]);
        };
        listeners.add(check);
        check();
        void code.then(() => setTimeout(() => reject(new Error(`exited before ${pattern}:\n${out}`)), 100));
      }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await code;
    },
  };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const urlFor = (database: string) => Object.assign(new URL(postgresAdminUrl), { pathname: `/${database}` }).toString();
const admin = async () => {
  const { default: postgres } = await import('postgres');
  return postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
};

describe('an unreachable database at start', () => {
  it('ends with one line naming host, port, database and cause: connection refused, database does not exist', async () => {
    const port = await closedPort();
    const missing = `fixpoint_missing_${process.pid}`;
    const pg = new URL(postgresAdminUrl);
    const [refused, absent] = [startMain(`postgres://postgres@127.0.0.1:${port}/fixpoint`, 0), startMain(urlFor(missing), 0)];
    expect(await refused.code).toBe(1);
    expect(await absent.code).toBe(1);
    const lastLine = (run: Run) => run.output().trim().split('\n').at(-1);
    expect(lastLine(refused)).toBe(
      `fixpoint: cannot connect to PostgreSQL at 127.0.0.1:${port}, database "fixpoint": connection refused (is PostgreSQL running and listening on that address?)`,
    );
    expect(lastLine(absent)).toBe(`fixpoint: cannot connect to PostgreSQL at ${pg.hostname}:${pg.port || '5432'}, database "${missing}": database "${missing}" does not exist`);
    for (const run of [refused, absent]) expect(run.output()).not.toMatch(/DrizzleQueryError|Failed query|\n\s+at /);
  }, 120_000);

  it('names a refused password, as the server says it (a server that speaks the protocol only to refuse)', async () => {
    // PostgreSQL here trusts local connections, so a stand-in answers the start-up message with what PostgreSQL sends.
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.once('data', () => {
        const fields = ['SFATAL', 'VFATAL', 'C28P01', 'Mpassword authentication failed for user "fixpoint"'].map((f) => Buffer.from(`${f}\0`));
        const body = Buffer.concat([...fields, Buffer.from('\0')]);
        const header = Buffer.alloc(5);
        header.write('E', 0);
        header.writeInt32BE(body.length + 4, 1);
        socket.end(Buffer.concat([header, body]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `postgres://fixpoint:wrong-secret@127.0.0.1:${(server.address() as AddressInfo).port}/fixpoint`;
      const { default: postgres } = await import('postgres');
      const client = postgres(url, { max: 1, onnotice: () => {} });
      const failed = await waitForDatabase(url, () => client`select 1`, { waitSec: 0 }).catch((e: Error) => e);
      await client.end({ timeout: 0 });
      expect(failed).toBeInstanceOf(Error);
      expect((failed as Error).message).toBe(
        `cannot connect to PostgreSQL at 127.0.0.1:${(server.address() as AddressInfo).port}, database "fixpoint": password authentication failed for user "fixpoint"`,
      );
      expect((failed as Error).message).not.toContain('wrong-secret');
    } finally {
      sockets.forEach((s) => s.destroy());
      server.close();
    }
  });

  it('waits for a database that appears within FIXPOINT_DATABASE_WAIT_SEC, then starts', async () => {
    const name = `fixpoint_late_${process.pid}`;
    const sql = await admin();
    await sql.unsafe(`drop database if exists ${name} with (force)`);
    const run = startMain(urlFor(name), 120);
    try {
      // It says what it waits for, and keeps trying.
      await run.waitFor(new RegExp(`database \\\\"${name}\\\\" does not exist; retrying in`));
      await sql.unsafe(`create database ${name}`);
      const url = (await run.waitFor(/Fixpoint is running at http:\/\/\S+/)).replace('Fixpoint is running at ', '');
      const health = await fetch(`${url}/healthz`).then((r) => r.json());
      expect(health).toMatchObject({ status: 'ok', database: 'postgres' });
    } finally {
      await run.stop();
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    }
  }, 180_000);

  it('keeps the password out of the line', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(describeConnectionError('postgres://fp:s3cret@db.internal:6432/fixpoint', error)).toBe(
      'cannot connect to PostgreSQL at db.internal:6432, database "fixpoint": connection refused (is PostgreSQL running and listening on that address?)',
    );
  });
});
