/**
 * Group launching. Every launch costs a few statements and a commit (a disk flush), and the audit chain's lock
 * serializes every launch, so one launch at a time caps throughput at a few dozen per second. Launches that arrive
 * while a batch is in flight wait and then go together: one action look-up per distinct action, one device look-up
 * per distinct device scope (beside them, the audit chain's head), then one statement for the requests, the
 * executions, the audit lock and the audit entries (`writeAtOnce`); a batch of more than `insertChunk` executions
 * takes one transaction instead (`write`). A launch whose checks fail is refused alone; if the batch's writes fail,
 * each launch is retried alone, so one bad launch never fails the others.
 */
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Envelope, LaunchResponse, TriggerInfo } from '@fixpoint/protocol';
import type { AppContext, QueuedWork } from '../../context';
import type { Db, Tx } from '../../db';
import { anyId } from '../../db/any-id';
import { rowsOf } from '../../db/rows';
import { executionRequests, executions } from '../../db/schema';
import {
  appendAuditMany, auditChainSql, auditHeadJson, auditLock, auditSignerOf, chainAudit, isStaleAuditHead, parseAuditHead, readAuditHead,
  type AuditHead, type AuditInput,
} from '../audit';
import { buildLaunchEnvelopes } from './launch-envelopes';
import { planLaunches, type LaunchAsk, type LaunchPlan } from './launch-plan';
import { unfinished } from './pending';
import { originOf } from './origin';

export interface QueuedLaunch extends LaunchAsk {
  idempotencyKey: string | null;
  requestHash: string | null;
}

export interface Launched {
  response: LaunchResponse;
  at: Date;
  /** Each execution with its envelope, for the dispatcher. */
  work: QueuedWork[];
}

interface Pending {
  launch: QueuedLaunch;
  resolve(launched: Launched): void;
  reject(error: unknown): void;
}

/** A planned launch with its per-device rows (id, device, envelope signature) ready to insert. */
interface Prepared {
  launch: QueuedLaunch;
  plan: LaunchPlan;
  requestId: string;
  rows: { id: string; deviceId: string; signature: string; notBefore: string | null }[];
  envelopes: Envelope[];
  /** Each execution's `execute` frame, built from parts the launch shares. */
  frames: string[];
  response: LaunchResponse;
}

/** Most launches per batch, and most devices: a large fan-out is heavy on its own and goes alone. */
const maxBatch = 256;
const maxBatchDevices = 10_000;
/** Executions per INSERT statement; all of a batch's statements share its one transaction. */
const insertChunk = 2000;

class LaunchBatcher {
  private queue: Pending[] = [];
  private running = false;
  /** Executions in the launches that wait for a batch (admission control reads it: `admission.ts`). */
  waiting = 0;

  constructor(private readonly ctx: AppContext) {}

  submit(launch: QueuedLaunch): Promise<Launched> {
    return new Promise((resolve, reject) => {
      this.queue.push({ launch, resolve, reject });
      this.waiting += launch.request.devices.length;
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    // Each batch starts on a later turn of the event loop, so requests that arrived meanwhile join it: the embedded
    // database answers without giving the event loop back, so otherwise every batch would hold a single launch.
    // One batch at a time: measured, a second one in flight only made batches smaller.
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!this.queue.length) break;
      const batch = this.take();
      try {
        const outcomes = await this.run(batch);
        batch.forEach((p, i) => settle(p, outcomes[i]!));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const p of batch) await this.run([p]).then(([outcome]) => settle(p, outcome!), p.reject);
      }
    }
    this.running = false;
  }

  private take(): Pending[] {
    let devices = 0;
    let n = 0;
    while (n < this.queue.length && n < maxBatch) {
      devices += this.queue[n]!.launch.request.devices.length;
      if (n > 0 && devices > maxBatchDevices) break;
      n++;
    }
    const taken = this.queue.splice(0, n);
    for (const p of taken) this.waiting -= p.launch.request.devices.length;
    return taken;
  }

  /** Plans, signs and writes a batch; a launch that fails its checks gets its error, the others are committed. */
  private async run(batch: readonly Pending[]): Promise<(Launched | Error)[]> {
    const { ctx } = this;
    const planned = planAndSign(ctx, batch);
    // Observed at once: it may fail while the head is read or the transaction opened (it is awaited below all the same).
    planned.catch(() => {});
    let work: Map<Prepared, QueuedWork[]>;
    if (batch.reduce((n, p) => n + p.launch.request.devices.length, 0) <= insertChunk) {
      // The chain's head is read beside the look-ups (one round trip for all of them on PostgreSQL), then one statement.
      const head = readAuditHead(ctx.db);
      head.catch(() => {});
      const { items, online } = await planned;
      work = items.length ? await writeAtOnce(ctx.db, items, online, await head) : new Map();
    } else if (ctx.dbKind === 'pglite') {
      // One connection: a look-up outside the transaction would wait for it.
      const { items, online } = await planned;
      work = items.length ? await ctx.db.transaction((tx) => write(tx, items, online)) : new Map();
    } else {
      // The look-ups run on the pool while the transaction's BEGIN goes out: one round trip instead of two. A batch
      // whose every launch fails its checks commits an empty transaction.
      work = await ctx.db.transaction(async (tx) => {
        const { items, online } = await planned;
        return items.length ? write(tx, items, online) : new Map();
      });
    }
    const { plans, prepared } = await planned;
    return plans.map((plan, i) => {
      if (plan instanceof Error) return plan;
      const item = prepared.get(i)!;
      return { response: item.response, at: plan.now, work: work.get(item)! };
    });
  }
}

/** The batch's plans (or each launch's error) and its signed rows, with the devices connected here among them. */
async function planAndSign(ctx: AppContext, batch: readonly Pending[]) {
  const plans = await planLaunches(ctx, batch.map((p) => p.launch));
  const prepared = new Map<number, Prepared>();
  for (const [i, plan] of plans.entries()) if (!(plan instanceof Error)) prepared.set(i, await prepare(ctx, batch[i]!.launch, plan));
  const items = [...prepared.values()];
  // Devices connected here may get their work straight from the launch; see `earlierWork`.
  const online = new Set(items.flatMap((p) => p.rows.map((r) => r.deviceId)).filter((id) => ctx.dispatcher.isOnline(id)));
  return { plans, prepared, items, online };
}

function settle(p: Pending, outcome: Launched | Error): void {
  if (outcome instanceof Error) p.reject(outcome);
  else p.resolve(outcome);
}

async function prepare(ctx: AppContext, launch: QueuedLaunch, plan: LaunchPlan): Promise<Prepared> {
  const requestId = randomUUID();
  const ids = plan.targets.map(() => randomUUID());
  const holds = plan.targets.map((device) => launch.notBefore?.(device.id) ?? null);
  const origin = originOf(plan.trigger, launch.principal, launch.request.triggerInfo);
  const { stored, envelopes, frames } = buildLaunchEnvelopes(ctx, { plan, ids, holds, origin });
  const rows = plan.targets.map((device, i) => ({ id: ids[i]!, deviceId: device.id, signature: stored[i]!, notBefore: holds[i]! }));
  const waves = plan.rollout?.waves;
  const response: LaunchResponse = {
    requestId,
    executions: rows.map((r, i) => ({ id: r.id, deviceId: r.deviceId, status: waves && waves[i]! > 0 ? ('held' as const) : ('queued' as const) })),
  };
  return { launch, plan, requestId, rows, envelopes, frames, response };
}

/** What a batch stores: its execution requests, its executions in statements of at most `insertChunk`, its audit entries. */
interface BatchRows {
  requests: unknown[];
  statements: ExecutionPart[][];
  audit: { input: AuditInput; at: Date }[];
}

function batchRows(batch: readonly Prepared[]): BatchRows {
  const requests = batch.map(({ launch, plan, requestId, response }) => ({
    id: requestId,
    action_version_id: plan.version.id,
    requested_by: launch.principal.label,
    trigger: plan.trigger,
    trigger_info: triggerInfoOf(launch),
    principal_id: launch.principal.id,
    idempotency_key: launch.idempotencyKey,
    request_hash: launch.requestHash,
    response,
    created_at: plan.now.toISOString(),
    rollout: plan.rollout?.plan ?? null,
    rollout_state: plan.rollout ? 'running' : null,
    current_wave: plan.rollout ? 0 : null,
    breaker_reset_at: plan.rollout ? plan.now.toISOString() : null,
  }));
  // Parts of at most `insertChunk` executions, in launch then device order, grouped into statements of that size.
  const statements: ExecutionPart[][] = [[]];
  let size = 0;
  for (const item of batch) {
    for (let i = 0; i < item.rows.length; i += insertChunk) {
      const rows = item.rows.slice(i, i + insertChunk);
      if (size + rows.length > insertChunk) {
        statements.push([]);
        size = 0;
      }
      statements.at(-1)!.push(executionPart(item, rows, item.plan.rollout?.waves.slice(i, i + insertChunk) ?? null));
      size += rows.length;
    }
  }
  const audit = batch.map(({ launch, plan, requestId, rows }) => ({
    at: plan.now,
    input: {
      actor: launch.principal.label,
      action: 'execution.launch',
      target: `action:${plan.action.slug}`,
      details: {
        requestId,
        action: plan.action.slug,
        version: plan.version.version,
        devices: rows.length,
        trigger: plan.trigger,
        triggerInfo: triggerInfoOf(launch),
        parameters: plan.parameters,
        // names only: secret values never reach the audit log
        secretParameters: Object.keys(plan.secretParameters ?? {}),
      },
    },
  }));
  return { requests, statements, audit };
}

/** Stores a batch in a transaction; answers each launch's executions with what was unfinished on their devices before them. */
async function write(tx: Tx, batch: readonly Prepared[], online: ReadonlySet<string>): Promise<Map<Prepared, QueuedWork[]>> {
  const { requests, statements, audit } = batchRows(batch);
  // The first statement also stores the requests and takes the audit lock, so a launch costs few round trips. The
  // statements and the look-up after them are sent together (pipelined on the transaction's connection, which runs
  // them in order): the look-up still starts after the lock was taken, and all of them cost one round trip.
  const inserts = statements.map((parts, i) => tx.execute(sql`${i === 0 ? requestsWithLock(requests) : sql``} ${executionsInsert(parts, i === 0)}`));
  const looked = tx.execute(sql`select ${auditHeadJson} as head, ${earlierSql(batch, online)} as earlier`);
  await Promise.all([...inserts, looked]);
  const [row] = rowsOf(await looked);
  await appendAuditMany(tx, audit, { locked: true, head: parseAuditHead(row!.head) });
  return queuedWork(batch, parseEarlier(row!.earlier));
}

/** Tries before a batch that keeps meeting a newer head falls back to the transaction, which reads it under the lock. */
const maxStaleHeads = 3;

/**
 * Stores a batch of at most `insertChunk` executions in one statement, with no transaction around it: the requests,
 * the executions and the audit entries chained after `head` (read beforehand without the lock), with the audit lock
 * taken before any of them is written and the earlier-work look-up in the same statement. Any append committed since
 * `head` was read (every launch appends) has taken the first entry's seq: the statement fails as a whole (the chain's
 * primary key), and the batch is tried again after the new head. So a statement that succeeds met no launch committed
 * after its snapshot was taken, and its earlier-work look-up saw every launch before it, as under the lock. Holding the
 * lock keeps appenders that read the head under it (`appendAuditMany`) from ever meeting such a conflict themselves. Two
 * round trips (the look-ups with the head, then this) instead of six.
 */
async function writeAtOnce(db: Db, batch: readonly Prepared[], online: ReadonlySet<string>, head: AuditHead | null): Promise<Map<Prepared, QueuedWork[]>> {
  const { requests, statements, audit } = batchRows(batch);
  const signer = auditSignerOf(db);
  for (let attempt = 0; attempt < maxStaleHeads; attempt++) {
    const chain = chainAudit(signer, audit, head);
    try {
      const [row] = rowsOf(
        await db.execute(sql`${requestsWithLock(requests)}, launch_executions as (${executionsInsert(statements[0]!, true)}),
          ${auditChainSql(chain, sql`audit_lock`)}
          select ${earlierSql(batch, online)} as earlier`),
      );
      return queuedWork(batch, parseEarlier(row!.earlier));
    } catch (error) {
      if (!isStaleAuditHead(error)) throw error;
    }
    head = await readAuditHead(db);
  }
  return db.transaction((tx) => write(tx, batch, online));
}

/** Each launch's queued work; `earlier` (the devices' unfinished executions of other launches, in order) grows as it goes. */
function queuedWork(batch: readonly Prepared[], earlier: Map<string, string[]>): Map<Prepared, QueuedWork[]> {
  // Held executions (later waves of a rollout) are not work yet: their wave's release queues them.
  const work = new Map<Prepared, QueuedWork[]>();
  for (const item of batch) {
    const waves = item.plan.rollout?.waves;
    const queued: QueuedWork[] = [];
    item.rows.forEach((row, i) => {
      if (waves && waves[i]! > 0) return;
      const before = earlier.get(row.deviceId) ?? [];
      earlier.set(row.deviceId, [...before, row.id]);
      queued.push({ executionId: row.id, deviceId: row.deviceId, envelope: item.envelopes[i]!, frame: item.frames[i]!, before });
    });
    work.set(item, queued);
  }
  return work;
}

/**
 * The unfinished executions of other launches on the devices connected here, in `seq` order, as JSON text: read in a
 * statement after the audit lock was taken (so it sees every launch committed before this one).
 */
function earlierSql(batch: readonly Prepared[], online: ReadonlySet<string>): SQL {
  const requestIds = batch.map((p) => p.requestId).join(',');
  return online.size
    ? sql`(select coalesce(json_agg(json_build_array(${executions.deviceId}, ${executions.id}) order by ${executions.seq}), '[]')::text
        from ${executions}
        where ${anyId(executions.deviceId, [...online])} and ${unfinished(batch[0]!.plan.now)}
          and ${executions.requestId} <> all(string_to_array(${requestIds}, ',')::uuid[]))`
    : sql`'[]'`;
}

/** `earlierSql`'s answer by device. */
function parseEarlier(json: unknown): Map<string, string[]> {
  const earlier = new Map<string, string[]>();
  for (const [deviceId, id] of JSON.parse(String(json)) as [string, string][]) {
    const list = earlier.get(deviceId);
    if (list) list.push(id);
    else earlier.set(deviceId, [id]);
  }
  return earlier;
}

/** Executions of one launch that share everything but id, device and signature. */
interface ExecutionPart {
  request_id: string;
  action_id: string;
  action_version_id: string;
  trigger: string;
  trigger_info: unknown;
  requested_by: string;
  parameters: unknown;
  secret_parameters: unknown;
  issued_at: string;
  expires_at: string;
  ids: string;
  device_ids: string;
  signatures: string;
  /** Each execution's rollout wave, or null outside a rollout. */
  waves: string | null;
  /** Each execution's hold (empty for none), or null when none is held. */
  not_befores: string | null;
  origin: unknown;
}

/** The request's trigger info, plus, for automation, the owner whose rights the launch used. */
function triggerInfoOf({ principal, request }: Pick<Prepared['launch'], 'principal' | 'request'>): TriggerInfo {
  return principal.owner ? { ...request.triggerInfo, owner: principal.owner } : (request.triggerInfo ?? {});
}

// Uuids and base64 signatures contain no commas, so each list travels as one comma-joined text.
function executionPart(item: Prepared, rows: Prepared['rows'], waves: readonly number[] | null): ExecutionPart {
  const { plan, launch } = item;
  return {
    request_id: item.requestId,
    action_id: plan.action.id,
    action_version_id: plan.version.id,
    trigger: plan.trigger,
    trigger_info: triggerInfoOf(launch),
    requested_by: launch.principal.label,
    parameters: plan.parameters,
    secret_parameters: plan.secretParameters,
    issued_at: plan.now.toISOString(),
    expires_at: plan.expiresAt.toISOString(),
    ids: rows.map((r) => r.id).join(','),
    device_ids: rows.map((r) => r.deviceId).join(','),
    signatures: rows.map((r) => r.signature).join(','),
    waves: waves ? waves.join(',') : null,
    not_befores: rows.some((r) => r.notBefore) ? rows.map((r) => r.notBefore ?? '').join(',') : null,
    origin: item.envelopes[0]?.payload.origin ?? null,
  };
}

/** Stores the execution requests and takes the audit lock: the head of a statement that ends with `executionsInsert(…, true)`. */
function requestsWithLock(requests: readonly unknown[]): SQL {
  return sql`with audit_lock as (${auditLock}), requests as (
        insert into ${executionRequests} (id, action_version_id, requested_by, trigger, trigger_info, principal_id, idempotency_key,
          request_hash, response, created_at, rollout, rollout_state, current_wave, breaker_reset_at)
        select id, action_version_id, requested_by, trigger, trigger_info, principal_id, idempotency_key, request_hash, response, created_at,
          rollout, rollout_state, current_wave, breaker_reset_at
        from jsonb_to_recordset(${JSON.stringify(requests)}::jsonb) as r(id uuid, action_version_id uuid, requested_by text, trigger text,
          trigger_info jsonb, principal_id text, idempotency_key text, request_hash text, response jsonb, created_at timestamptz,
          rollout jsonb, rollout_state text, current_wave smallint, breaker_reset_at timestamptz))`;
}

/**
 * Inserts the executions of several launches in one statement: the launches travel as one JSON parameter and each
 * one's rows are unnested from its three lists, so the statement text never changes with the batch size (PostgreSQL
 * prepares it once per connection), and `seq` follows launch order, then device order. `locked`: after
 * `requestsWithLock`, the rows wait for the audit lock.
 */
function executionsInsert(parts: readonly ExecutionPart[], locked: boolean): SQL {
  const launches = parts.map((part, n) => ({ ...part, n }));
  return sql`
    insert into ${executions} (id, device_id, signature, request_id, action_id, action_version_id, status, wave, trigger, trigger_info,
      requested_by, parameters, secret_parameters, issued_at, expires_at, not_before, origin, created_at)
    select u.id::uuid, u.device_id::uuid, u.signature, l.request_id, l.action_id, l.action_version_id,
      case when u.wave::smallint > 0 then 'held' else 'queued' end, u.wave::smallint, l.trigger,
      l.trigger_info, l.requested_by, l.parameters, l.secret_parameters, l.issued_at, l.expires_at, nullif(u.not_before, ''), l.origin, l.issued_at
    from jsonb_to_recordset(${JSON.stringify(launches)}::jsonb) as l(n int, request_id uuid, action_id uuid, action_version_id uuid,
      trigger text, trigger_info jsonb, requested_by text, parameters jsonb, secret_parameters jsonb, issued_at timestamptz,
      expires_at timestamptz, ids text, device_ids text, signatures text, waves text, not_befores text, origin jsonb)
    cross join lateral unnest(string_to_array(l.ids, ','), string_to_array(l.device_ids, ','), string_to_array(l.signatures, ','),
      string_to_array(l.waves, ','), string_to_array(l.not_befores, ',')) with ordinality as u(id, device_id, signature, wave, not_before, k)
    ${locked ? sql`cross join audit_lock` : sql``}
    order by l.n, u.k`;
}

// One batcher per database handle, so test backends never share a queue.
const batchers = new WeakMap<object, LaunchBatcher>();

/** Executions waiting in this backend's launch queue, not counting the batch being written. */
export function launchQueueDepth(ctx: AppContext): number {
  return batchers.get(ctx.db)?.waiting ?? 0;
}

/** Plans, signs and stores a launch together with the launches arriving at the same time. */
export function submitLaunch(ctx: AppContext, launch: QueuedLaunch): Promise<Launched> {
  let batcher = batchers.get(ctx.db);
  if (!batcher) batchers.set(ctx.db, (batcher = new LaunchBatcher(ctx)));
  return batcher.submit(launch);
}
