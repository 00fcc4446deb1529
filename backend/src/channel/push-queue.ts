/**
 * Devices waiting for a push. Devices queued in one turn of the event loop share one round (one query for all of them);
 * devices queued while a round runs wait for the next, so rounds never overlap.
 */
export class PushQueue {
  private queued = new Set<string>();
  private scheduled = false;
  private round: Promise<void> | null = null;
  private inRound: ReadonlySet<string> = new Set();

  /** `push` gets the queued devices of one round; it must not throw. */
  constructor(private readonly push: (deviceIds: string[]) => Promise<void>) {}

  add(deviceIds: Iterable<string>): void {
    for (const id of deviceIds) this.queued.add(id);
    if (!this.queued.size || this.scheduled || this.round) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const ids = [...this.queued];
      this.inRound = this.queued;
      this.queued = new Set();
      this.round = this.push(ids).finally(() => {
        this.round = null;
        this.inRound = new Set();
        this.add([]);
      });
    });
  }

  /** Whether a device waits for a round or is in the one in flight. */
  has(deviceId: string): boolean {
    return this.queued.has(deviceId) || this.inRound.has(deviceId);
  }

  /** Resolves once the round in flight, if any, has ended. */
  settled(): Promise<void> {
    return this.round ?? Promise.resolve();
  }
}
