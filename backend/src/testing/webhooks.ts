/**
 * @module Test fixtures for webhooks: a real HTTP receiver on 127.0.0.1 and the rows behind one execution
 * (device, action, version, request, execution), inserted directly so tests can publish terminal events.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, like } from 'drizzle-orm';
import type { ExecutionStatus } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { actions, actionVersions, auditLog, devices, executionRequests, executions, webhookDeliveries } from '../db/schema';

/** The setting that lets webhooks reach the receivers below (loopback is refused by default). */
export const receiverNetwork = { FIXPOINT_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32' };

export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. `/hook?slow=1`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Decides each response: status code, and optionally a delay in ms. Default 200. */
  respond: (req: ReceivedRequest, n: number) => number | { status: number; delayMs?: number; location?: string };
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver = { requests: [] as ReceivedRequest[], respond: () => 200 } as unknown as Receiver;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      receiver.requests.push(received);
      const answer = receiver.respond(received, receiver.requests.length);
      const { status, delayMs = 0, location } = typeof answer === 'number' ? { status: answer } : answer;
      setTimeout(() => {
        if (location) res.setHeader('location', location);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}`);
      }, delayMs).unref();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export interface ExecutionFixture {
  executionId: string;
  requestId: string;
  deviceId: string;
}

/** Inserts a device, an action with one version, a request and one execution in `status`. */
export async function insertExecution(
  ctx: AppContext,
  options: { status?: ExecutionStatus; parameters?: Record<string, string>; outputs?: Record<string, unknown> } = {},
): Promise<ExecutionFixture> {
  const tag = Math.random().toString(36).slice(2, 8);
  const now = ctx.now();
  const [device] = await ctx.db.insert(devices).values({ name: `pc-${tag}`, platform: 'linux', publicKey: 'test-key' }).returning();
  const [action] = await ctx.db.insert(actions).values({ slug: `clear-cache-${tag}`, name: 'Clear cache', latestVersion: 2 }).returning();
  const [version] = await ctx.db
    .insert(actionVersions)
    .values({ actionId: action!.id, version: 2, definition: {} as never, scriptHashes: {}, createdBy: 'user:test' })
    .returning();
  const [request] = await ctx.db
    .insert(executionRequests)
    .values({ actionVersionId: version!.id, requestedBy: 'user:test', trigger: 'api', principalId: 'p', triggerInfo: { externalReference: 'INC0012345' } })
    .returning();
  const terminal = options.status && !['queued', 'delivered', 'running'].includes(options.status);
  const [execution] = await ctx.db
    .insert(executions)
    .values({
      requestId: request!.id,
      deviceId: device!.id,
      actionId: action!.id,
      actionVersionId: version!.id,
      status: options.status ?? 'succeeded',
      trigger: 'api',
      triggerInfo: { externalReference: 'INC0012345' },
      requestedBy: 'user:test',
      parameters: options.parameters ?? {},
      signature: 'sig',
      issuedAt: now,
      expiresAt: new Date(now.getTime() + 3600_000),
      startedAt: terminal ? now : null,
      finishedAt: terminal ? now : null,
      exitCode: terminal ? 0 : null,
      stdoutTail: 'stdout text',
      outputs: options.outputs ?? { freedMb: 42 },
    })
    .returning();
  return { executionId: execution!.id, requestId: request!.id, deviceId: device!.id };
}

/** Moves an execution to `status` and publishes the event, as the execution service does after its commit. */
export async function finishExecution(ctx: AppContext, fixture: ExecutionFixture, status: ExecutionStatus): Promise<void> {
  await ctx.db.update(executions).set({ status, finishedAt: ctx.now(), exitCode: status === 'succeeded' ? 0 : 1 }).where(eq(executions.id, fixture.executionId));
  ctx.events.publish({ type: 'execution', id: fixture.executionId, requestId: fixture.requestId, deviceId: fixture.deviceId, status, at: ctx.now().toISOString() });
}

export async function deliveriesOf(ctx: AppContext, webhookId: string) {
  return ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId));
}

/** Audit entries whose action starts with `webhook.`, for one target. */
export async function webhookAudit(ctx: AppContext, webhookId: string) {
  return ctx.db
    .select()
    .from(auditLog)
    .where(and(like(auditLog.action, 'webhook.%'), eq(auditLog.target, `webhook:${webhookId}`)))
    .orderBy(auditLog.seq);
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 5000): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
