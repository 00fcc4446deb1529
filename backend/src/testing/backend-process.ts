/**
 * @module Backends as child processes (`node backend/dist/main.mjs`, what `npm run build -w backend` produces), and a
 * small TCP proxy: agents enroll with the proxy's address, so a test can move them from one backend process to
 * another, the way a load balancer would when an instance dies.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

const backendDir = new URL('../../', import.meta.url).pathname;

/**
 * Bundles the backend (what `npm run build -w backend` does) into a folder of its own under backend/dist, so a
 * concurrent `npm start` rebuilding dist/main.mjs cannot hand this test a half-written file. Returns the main file
 * and a function that removes the folder.
 */
export function buildBackend(): { main: string; remove(): void } {
  const outdir = `dist/test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  execFileSync(process.execPath, ['build.mjs', '--outdir', outdir], { cwd: backendDir });
  return { main: `${backendDir}${outdir}/main.mjs`, remove: () => rmSync(`${backendDir}${outdir}`, { recursive: true, force: true }) };
}

export class BackendProcess {
  child: ChildProcess | null = null;
  url = '';
  /** The instance id it logged at start-up. */
  instanceId = '';
  output = '';

  constructor(
    readonly main: string,
    readonly env: Record<string, string>,
  ) {}

  async start(): Promise<this> {
    this.output = '';
    const child = spawn(process.execPath, [this.main], {
      env: { ...process.env, PORT: '0', FIXPOINT_LOG_LEVEL: 'info', FIXPOINT_REQUIRE_APPROVAL: 'false', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const collect = (chunk: Buffer) => (this.output += chunk.toString());
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`backend did not start:\n${this.output}`)), 60_000);
      const check = () => {
        const url = this.output.match(/Fixpoint is running at (http:\/\/\S+)/)?.[1];
        const instance = this.output.match(/"msg":"listening".*?"instance":"([^"]+)"/)?.[1];
        if (url && instance) {
          clearTimeout(timer);
          this.url = url;
          this.instanceId = instance;
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.once('exit', (code) => reject(new Error(`backend exited with ${code}:\n${this.output}`)));
    });
    return this;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}

/** Forwards TCP connections to a target port that can be changed; `retarget` also cuts the open connections. */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private target: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  retarget(port: number): void {
    this.target = port;
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
