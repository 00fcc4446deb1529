/**
 * @module At most N executions at once, started strictly in arrival order (the server sends a device's envelopes in
 * seq order, so arrival order is launch order).
 */

export interface QueuedJob {
  id: string;
}

export class RunQueue<J extends QueuedJob> {
  private readonly waiting: J[] = [];
  private readonly active = new Set<string>();
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly maxConcurrency: number,
    private readonly run: (job: J) => Promise<void>,
  ) {}

  enqueue(job: J): void {
    this.waiting.push(job);
    this.pump();
  }

  /** True when the id is waiting or running. */
  has(id: string): boolean {
    return this.active.has(id) || this.waiting.some((j) => j.id === id);
  }

  isRunning(id: string): boolean {
    return this.active.has(id);
  }

  /** Takes a job out of the queue before it starts; undefined when it is not waiting. */
  removeWaiting(id: string): J | undefined {
    const i = this.waiting.findIndex((j) => j.id === id);
    return i < 0 ? undefined : this.waiting.splice(i, 1)[0];
  }

  get runningIds(): string[] {
    return [...this.active];
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Resolves when nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (!this.active.size && !this.waiting.length) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private pump(): void {
    while (this.active.size < this.maxConcurrency && this.waiting.length) {
      const job = this.waiting.shift()!;
      this.active.add(job.id);
      void this.run(job)
        .catch(() => undefined)
        .finally(() => {
          this.active.delete(job.id);
          this.pump();
          if (!this.active.size && !this.waiting.length) {
            const waiters = this.drainWaiters;
            this.drainWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }
}
