/**
 * @module The DevTools protocol over the pipe a Chromium started with `--remote-debugging-pipe` reads on fd 3 and
 * writes on fd 4: JSON messages, each ended by a NUL byte. Only the tray holds the pipe (no port, no other client),
 * and the browser ends when the pipe closes, so a browser never outlives its tray.
 */
import type { Readable, Writable } from 'node:stream';

type Listener = (params: Record<string, unknown>) => void;

export class DevToolsPipe {
  private nextId = 1;
  private buffer = '';
  private readonly calls = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private ended = false;
  /** Resolves when the pipe has closed (the browser exited). */
  readonly closed: Promise<void>;

  constructor(
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
  ) {
    this.closed = new Promise((resolve) => {
      const end = () => {
        if (this.ended) return;
        this.ended = true;
        for (const call of this.calls.values()) call.reject(new Error('the browser closed its DevTools pipe'));
        this.calls.clear();
        resolve();
      };
      fromBrowser.on('end', end).on('close', end).on('error', end);
      toBrowser.on('error', end);
    });
    fromBrowser.setEncoding('utf8');
    fromBrowser.on('data', (chunk: string) => this.handleData(chunk));
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  /** Sends a command; resolves with its result, rejects with the browser's error. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (this.ended) return Promise.reject(new Error('the browser closed its DevTools pipe'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.toBrowser.write(`${JSON.stringify({ id, method, params })}\0`);
    });
  }

  /** Calls `listener` for each event named `method`; returns the unsubscribe function. */
  on(method: string, listener: Listener): () => void {
    const set = this.listeners.get(method) ?? new Set();
    set.add(listener);
    this.listeners.set(method, set);
    return () => set.delete(listener);
  }

  private handleData(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      let message: { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message?: string } };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        continue;
      }
      if (message.id !== undefined) {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        if (message.error) call?.reject(new Error(message.error.message ?? 'DevTools error'));
        else call?.resolve(message.result ?? {});
      } else if (message.method) for (const listener of this.listeners.get(message.method) ?? []) listener(message.params ?? {});
    }
  }
}
