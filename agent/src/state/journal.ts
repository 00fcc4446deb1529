/**
 * @module The execution journal: append-only JSON lines, fsynced (acks aside), in the state dir.
 *
 * It makes running exactly-once per execution id: an id is written BEFORE its process starts, so after a crash
 * the agent knows what was in flight (reported as `agent_restarted`, never re-run), and any id it holds is refused
 * as a replay. Results stay until the server acks them, and are re-sent on every reconnect. A refused id is written
 * too, so a later envelope with the same id (even a correctly signed one, even after a restart) never runs: the
 * server already failed that execution when the refusal reached it.
 *
 * Memory stays bounded by what replay protection and the views need: the newest {@link shownAckedRuns} acked runs
 * keep their entry (the activity view lists at most that many, `status` ten); older acked ids move into `SeenIds`
 * (16 bytes and an expiry each) until a day after their envelope expired, and the journal file holds them as
 * `seen` records from its next compaction on. A journal written before `seen` records existed (only start, pid,
 * result, ack and refused records) reads the same way: its acked runs become seen ids as they load.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { activityWindowDays, limits, maxActivityEntries, type AgentResult, type ExecutionOrigin, type RefusalReason } from '@fixpoint/protocol';
import { log } from '../log';
import { writeFileAtomic } from './files';
import { SeenIds } from './seen-ids';

/** Acked runs that keep their whole entry (action, origin, parameters, status): the activity view's most. */
export const shownAckedRuns = maxActivityEntries;

/**
 * How long an id stays known after its envelope expired. The agent refuses an envelope once its expiry has passed on
 * the local clock (verify.ts, no tolerance added), and forgets an id by the same clock: an envelope could only be
 * accepted twice if that clock went back by more than this between the forgetting and the replay (set back by hand,
 * a bad time source corrected). A day covers that short of a wrong date; a shorter window would save little now
 * that an id costs about 40 bytes (10,000 runs a day: under half a MiB), so it stays a day.
 */
export const defaultRetainAfterExpiryMs = 24 * 3600 * 1000;

/** What the journal knows about one execution id. */
export interface JournalEntry {
  id: string;
  action: string;
  startedAt: string;
  expiresAt: string;
  /** Process group leader, and its start-time token (to tell a reused pid apart). */
  pid?: number;
  procStart?: string;
  /** The run's private directory, deleted on recovery if a crash left it behind. */
  dir?: string;
  result?: AgentResult;
  /** Set when the envelope was refused: the id never runs, and the same refusal answers any later copy. */
  refused?: { reason: RefusalReason; message: string };
  acked: boolean;
  /** Who launched it (from the signed envelope), for the activity view. */
  origin?: ExecutionOrigin;
  /** Its parameters as the activity view shows them: secret ones `***`. */
  parameters?: Record<string, string>;
}

/** What `recordStart` keeps of a run. */
export interface StartInfo {
  action: string;
  expiresAt: string;
  origin?: ExecutionOrigin | undefined;
  parameters?: Record<string, string> | undefined;
}

type JournalRecord =
  | { t: 'start'; id: string; at: string; exp: string; action: string; o?: ExecutionOrigin; p?: Record<string, string> }
  | { t: 'pid'; id: string; pid?: number; ps?: string; dir?: string }
  | { t: 'result'; id: string; r: AgentResult }
  | { t: 'ack'; id: string }
  | { t: 'refused'; id: string; at: string; exp: string; action: string; reason: RefusalReason; msg: string }
  /** An acked id kept only to refuse a replay (written by compaction; `exp` is its envelope's expiry). */
  | { t: 'seen'; id: string; exp: string };

/** A result without what the script printed: what an acked entry keeps. */
const withoutOutput = (r: AgentResult): AgentResult => (r.stdoutTail || r.stderrTail || Object.keys(r.outputs).length ? { ...r, stdoutTail: '', stderrTail: '', outputs: {} } : r);

export interface JournalOptions {
  now?: () => Date;
  /** Compact once the file holds this many records (default 2000) or `compactBytes` (default 8 MB). */
  compactRecords?: number;
  compactBytes?: number;
  /** How long an acked id is still remembered after its envelope expired (default 1 day, see `defaultRetainAfterExpiryMs`). */
  retainAfterExpiryMs?: number;
  /** Read the journal without repairing or appending to it (for `status`, while the agent may be writing). */
  readOnly?: boolean;
}

export class Journal {
  private readonly entries = new Map<string, JournalEntry>();
  /** Acked ids past the newest `shownAckedRuns`: only replay protection needs them. */
  private readonly seen = new SeenIds();
  /** Acked entries still in `entries`. */
  private ackedShown = 0;
  private lastPrune = 0;
  private fd: number | null;
  private readonly readOnly: boolean;
  private records = 0;
  private bytes = 0;
  private compactRecords: number;
  private compactBytes: number;
  private readonly now: () => Date;
  private readonly retainMs: number;

  private constructor(private readonly path: string, options: JournalOptions) {
    this.now = options.now ?? (() => new Date());
    this.compactRecords = options.compactRecords ?? 2000;
    this.compactBytes = options.compactBytes ?? 8 * 1024 * 1024;
    this.retainMs = options.retainAfterExpiryMs ?? defaultRetainAfterExpiryMs;
    this.readOnly = options.readOnly ?? false;
    this.load();
    this.fd = this.readOnly ? null : openSync(path, 'a', 0o600);
  }

  /** Opens (or creates) the journal at `path` and replays it into memory. */
  static open(path: string, options: JournalOptions = {}): Journal {
    return new Journal(path, options);
  }

  private load(): void {
    if (!existsSync(this.path)) return;
    const text = readFileSync(this.path, 'utf8');
    // A crash mid-append leaves a torn last line; cut it so the next append starts on a fresh line.
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length && !this.readOnly) {
      log.warn('journal: dropping a torn last record', { bytes: text.length - end });
      truncateSync(this.path, Buffer.byteLength(text.slice(0, end)));
    }
    for (const line of text.slice(0, end).split('\n')) {
      if (!line) continue;
      try {
        this.apply(JSON.parse(line) as JournalRecord);
        this.records++;
      } catch {
        log.warn('journal: skipping an unreadable record');
      }
    }
    this.bytes = end;
  }

  private apply(rec: JournalRecord): void {
    if (rec.t === 'seen') {
      if (!this.entries.has(rec.id)) this.seen.add(rec.id, Date.parse(rec.exp));
      return;
    }
    if (rec.t === 'start') {
      this.entries.set(rec.id, { id: rec.id, action: rec.action, startedAt: rec.at, expiresAt: rec.exp, acked: false, ...(rec.o ? { origin: rec.o } : {}), ...(rec.p ? { parameters: rec.p } : {}) });
      return;
    }
    if (rec.t === 'refused') {
      const refused = { reason: rec.reason, message: rec.msg };
      this.entries.set(rec.id, { id: rec.id, action: rec.action, startedAt: rec.at, expiresAt: rec.exp, refused, acked: false });
      return;
    }
    const entry = this.entries.get(rec.id);
    if (!entry) return;
    if (rec.t === 'pid') Object.assign(entry, { pid: rec.pid, procStart: rec.ps, dir: rec.dir });
    else if (rec.t === 'result') entry.result = rec.r;
    else if (rec.t === 'ack') {
      // an acked result is never sent again: only its id and status matter (replays, `status`), not its output
      if (entry.acked) return;
      entry.acked = true;
      if (entry.result) entry.result = withoutOutput(entry.result);
      this.ackedShown++;
      this.keepShownBounded();
    }
  }

  /** Moves the oldest acked entries past `shownAckedRuns` into the seen ids (or forgets them, once past retention). */
  private keepShownBounded(): void {
    if (this.ackedShown <= shownAckedRuns) return;
    // entries are in start order: the first acked ones are the oldest
    for (const [id, e] of this.entries) {
      if (!e.acked) continue;
      this.forgetEntry(id, e);
      const exp = Date.parse(e.expiresAt);
      if (!(exp < this.now().getTime() - this.retainMs)) this.seen.add(id, exp);
      if (this.ackedShown <= shownAckedRuns) break;
    }
    const now = this.now().getTime();
    if (now - this.lastPrune >= 3600_000) {
      this.lastPrune = now;
      this.seen.prune(now - this.retainMs);
    }
  }

  private forgetEntry(id: string, e: JournalEntry): void {
    this.entries.delete(id);
    if (e.acked) this.ackedShown--;
  }

  private append(rec: JournalRecord): void {
    if (this.fd === null) throw new Error('the journal is open read-only');
    const line = `${JSON.stringify(rec)}\n`;
    writeSync(this.fd, line);
    // An ack lost in a crash costs one resend, which the server acks again: only the other records must reach the disk
    // before the agent acts on them (the next fsync, or the kernel's writeback, takes the ack along).
    if (rec.t !== 'ack') fsyncSync(this.fd);
    this.apply(rec);
    this.records++;
    this.bytes += Buffer.byteLength(line);
    if (this.records >= this.compactRecords || this.bytes >= this.compactBytes) this.compact();
  }

  /** Whether the journal knows `id` at all: a replay of it is refused. */
  has(id: string): boolean {
    return this.entries.has(id) || this.seen.has(id);
  }

  /** The entry of `id`; undefined for ids kept only as seen (older acked runs). */
  get(id: string): JournalEntry | undefined {
    return this.entries.get(id);
  }

  /** Call BEFORE the process starts. */
  recordStart(id: string, info: StartInfo): void {
    this.append({ t: 'start', id, at: this.now().toISOString(), exp: info.expiresAt, action: info.action, ...startExtras(info.origin, info.parameters) });
  }

  /** Records the started process group (when there is one) and the run directory. */
  recordPid(id: string, pid: number | undefined, procStart?: string, dir?: string): void {
    this.append({ t: 'pid', id, pid, ...(procStart ? { ps: procStart } : {}), ...(dir ? { dir } : {}) });
  }

  /**
   * Records a refused envelope (call only for ids the journal does not hold). `expiresAt` comes from an envelope that
   * may be forged, so it is kept no later than the longest expiry a real envelope can have.
   */
  recordRefusal(id: string, info: { action: string; expiresAt: string; reason: RefusalReason; message: string }): void {
    const now = this.now();
    const latest = now.getTime() + limits.maxExpirySec * 1000;
    const claimed = Date.parse(info.expiresAt);
    const exp = new Date(Number.isNaN(claimed) || claimed > latest ? latest : claimed).toISOString();
    this.append({ t: 'refused', id, at: now.toISOString(), exp, action: info.action, reason: info.reason, msg: info.message.slice(0, 2000) });
  }

  recordResult(id: string, result: AgentResult): void {
    this.append({ t: 'result', id, r: result });
  }

  /** Records the server's ack; returns false for ids without a result (nothing to ack). */
  recordAck(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry?.result || entry.acked) return false;
    this.append({ t: 'ack', id });
    return true;
  }

  /** Entries started but never finished: the agent died while they ran. */
  interrupted(): JournalEntry[] {
    return [...this.entries.values()].filter((e) => !e.result && !e.refused);
  }

  /** Results the server has not acked yet, oldest first. */
  unacked(): AgentResult[] {
    return [...this.entries.values()].filter((e) => e.result && !e.acked).map((e) => e.result!);
  }

  /** Runs started since `since` (refusals included), newest first: the tray's activity view. */
  activity(since: Date, max: number): JournalEntry[] {
    const from = since.getTime();
    const out: JournalEntry[] = [];
    for (const e of this.entries.values()) if (Date.parse(e.startedAt) >= from) out.push(e);
    return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, max);
  }

  /** The last `n` entries, newest first. */
  recent(n: number): JournalEntry[] {
    return [...this.entries.values()].slice(-n).reverse();
  }

  /** Ids known: entries and seen ids. */
  get size(): number {
    return this.entries.size + this.seen.size;
  }

  /**
   * Rewrites the file with only what still matters: unfinished and unacked entries in full, and acked ids until
   * a day after their envelope expired (after that the envelope is refused as expired anyway): the newest acked runs
   * as entries without their tails (those that name who launched them stay up to the activity view's 30 days), the
   * others as `seen` records. Refused ids are kept as long as acked ones.
   */
  compact(): void {
    const cutoff = this.now().getTime() - this.retainMs;
    // the activity view shows a month of runs: those that say who launched them stay that long
    const shown = this.now().getTime() - activityWindowDays * 86_400_000;
    this.seen.prune(cutoff);
    const lines: string[] = [];
    for (const [id, exp] of this.seen.entries()) lines.push(JSON.stringify({ t: 'seen', id, exp: new Date(exp).toISOString() } satisfies JournalRecord));
    for (const [id, e] of this.entries) {
      if ((e.acked || e.refused) && Date.parse(e.expiresAt) < cutoff && (!e.origin || e.refused || Date.parse(e.startedAt) < shown)) {
        this.forgetEntry(id, e);
        continue;
      }
      if (e.refused) {
        lines.push(JSON.stringify({ t: 'refused', id, at: e.startedAt, exp: e.expiresAt, action: e.action, reason: e.refused.reason, msg: e.refused.message } satisfies JournalRecord));
        continue;
      }
      const recs: JournalRecord[] = [{ t: 'start', id, at: e.startedAt, exp: e.expiresAt, action: e.action, ...startExtras(e.origin, e.parameters) }];
      if (!e.result && (e.pid !== undefined || e.dir)) recs.push({ t: 'pid', id, pid: e.pid, ps: e.procStart, dir: e.dir });
      if (e.result) recs.push({ t: 'result', id, r: e.acked ? withoutOutput(e.result) : e.result });
      if (e.acked) recs.push({ t: 'ack', id });
      for (const rec of recs) lines.push(JSON.stringify(rec));
    }
    const text = lines.length ? `${lines.join('\n')}\n` : '';
    if (this.fd === null) throw new Error('the journal is open read-only');
    closeSync(this.fd);
    writeFileAtomic(this.path, text, 0o600);
    this.fd = openSync(this.path, 'a', 0o600);
    this.records = lines.length;
    this.bytes = Buffer.byteLength(text);
    // Many live entries: do not compact again on every append.
    this.compactRecords = Math.max(this.compactRecords, this.records * 2);
    this.compactBytes = Math.max(this.compactBytes, this.bytes * 2);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function startExtras(origin: ExecutionOrigin | undefined, parameters: Record<string, string> | undefined): { o?: ExecutionOrigin; p?: Record<string, string> } {
  return { ...(origin ? { o: origin } : {}), ...(parameters && Object.keys(parameters).length ? { p: parameters } : {}) };
}
