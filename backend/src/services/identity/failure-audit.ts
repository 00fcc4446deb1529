/**
 * @module Failed sign-ins and token requests, audited in aggregate: per target and client address, the first
 * failure of a 15-minute window is written at once (count 1), and the rest of the window in one row when it ends.
 * Summing `details.count` over the rows gives every failure; a flood writes two rows per window, not one per try.
 */
import type { AppContext } from '../../context';
import { appendAuditMany, type AuditInput } from '../audit';

export const failureWindowMs = 15 * 60_000;
const maxWindows = 50_000;

interface Window {
  action: string;
  target: string;
  address: string;
  startMs: number;
  /** Failures after the first, not yet written. */
  pending: number;
  reasons: Record<string, number>;
  lastMs: number;
}

export interface FailureInput {
  action: 'auth.login_failed' | 'auth.client_token_failed';
  /** `user:<e-mail>` or `client:<client id>`. */
  target: string;
  address: string;
  reason: string;
}

/** An audit row for `count` failures between the window's start and `untilMs`, written at `atMs` (now). */
function row(w: Window, count: number, reasons: Record<string, number>, untilMs: number, atMs: number): { input: AuditInput; at: Date } {
  const details = { count, reasons, ip: w.address, from: new Date(w.startMs).toISOString(), until: new Date(untilMs).toISOString() };
  return { input: { actor: 'anonymous', action: w.action, target: w.target, details }, at: new Date(atMs) };
}

/** One per backend context; state is in memory, so each instance aggregates its own failures. */
export class FailureAudit {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: AppContext) {}

  /** Counts one failure and writes the rows that are due (this window's first, ended windows' rest). */
  async record(input: FailureInput): Promise<void> {
    const nowMs = this.ctx.now().getTime();
    const due = this.takeEnded(nowMs);
    const key = `${input.action}\n${input.target}\n${input.address}`;
    const open = this.windows.get(key);
    if (open) {
      open.pending++;
      open.reasons[input.reason] = (open.reasons[input.reason] ?? 0) + 1;
      open.lastMs = nowMs;
    } else {
      if (this.windows.size >= maxWindows) due.push(...this.takeOldest(nowMs));
      const w: Window = { action: input.action, target: input.target, address: input.address, startMs: nowMs, pending: 0, reasons: {}, lastMs: nowMs };
      this.windows.set(key, w);
      due.push(row(w, 1, { [input.reason]: 1 }, nowMs, nowMs));
      this.schedule();
    }
    await this.write(due);
  }

  /** Writes the rest of every window that has ended by now; the timer calls it, tests may too. */
  async flush(): Promise<void> {
    await this.write(this.takeEnded(this.ctx.now().getTime()));
  }

  // Taken out of the map synchronously, so two requests at once never write the same counts twice.
  private takeEnded(nowMs: number) {
    const rows: { input: AuditInput; at: Date }[] = [];
    for (const [key, w] of this.windows) {
      if (nowMs < w.startMs + failureWindowMs) continue;
      this.windows.delete(key);
      if (w.pending) rows.push(row(w, w.pending, w.reasons, w.lastMs, nowMs));
    }
    return rows;
  }

  private takeOldest(nowMs: number) {
    const [key, w] = this.windows.entries().next().value!;
    this.windows.delete(key);
    return w.pending ? [row(w, w.pending, w.reasons, w.lastMs, nowMs)] : [];
  }

  private async write(rows: { input: AuditInput; at: Date }[]): Promise<void> {
    if (rows.length) await this.ctx.db.transaction((tx) => appendAuditMany(tx, rows));
  }

  /** A timer writes ended windows even when no further attempt comes; unref'd, so it never keeps the process up. */
  private schedule(): void {
    if (this.timer || !this.windows.size) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush()
        .catch((e: unknown) => this.ctx.log.warn('could not write failed sign-in counts to the audit log', { error: String(e) }))
        .finally(() => this.schedule());
    }, failureWindowMs + 1000);
    this.timer.unref();
  }
}
