/**
 * @module Several backend instances on one PostgreSQL database (`--instances=3`): each holds `perInstance` simulated
 * agents (the simulator hands out the instances' channels in turn), and a launch through the first instance reaches
 * every device. The instances tell each other over LISTEN/NOTIFY; the bench LISTENs on the same channels to count
 * that traffic (notifications and payload bytes), and reads each instance's CPU time from /proc/<pid>/stat.
 * A launch names at most `limits.maxDevicesPerLaunch` devices (10,000), so a larger fleet gets several launches
 * sent together through the same instance; times are from the first.
 */
import { limits } from '@fixpoint/protocol';
import { startBackend, type BenchBackend } from './lib/backend';
import { Fleet, type FleetEvents } from './fleet/agents';
import { poster, seedFleetDevices } from './fleet/devices';
import { cpuMs, openFileLimit, rssBytes } from './lib/proc';
import type { Figure } from './lib/report';

export interface InstancesOptions {
  instances: number;
  perInstance: number;
  databaseUrl: string;
}

/** The cluster's NOTIFY channels (`backend/src/cluster.ts`). */
const notifyChannels = ['fixpoint_dispatch', 'fixpoint_events', 'fixpoint_campaigns'];

export async function benchInstances(options: InstancesOptions): Promise<Figure[]> {
  const total = options.instances * options.perInstance;
  const limit = openFileLimit();
  if (total + 200 > limit) throw new Error(`ulimit -n is ${limit}; ${total} agents need about ${total + 200} open files in this process`);
  const env = { DATABASE_URL: options.databaseUrl };
  const backends: BenchBackend[] = [await startBackend(env)];
  const { default: postgres } = await import('postgres');
  const listener = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  let fleet: Fleet | null = null;
  try {
    for (let i = 1; i < options.instances; i++) backends.push(await startBackend(env, { keysFrom: backends[0]!.dataDir }));
    const [via] = backends;
    const token = await via!.token();
    const post = poster(via!, token);
    await post('/actions', { slug: 'fleet-noop', name: 'Fleet no-op', purpose: 'data_collection', scripts: { linux: { source: 'true\n' } }, outputs: [{ name: 'ok', type: 'bool' }] });
    const devices = await seedFleetDevices(via!, token, total, options.databaseUrl);
    const hooks: FleetEvents = {};
    const urls = backends.map((b) => `${b.url.replace(/^http/, 'ws')}/api/v1/agent/channel`);
    fleet = new Fleet({
      channelUrl: urls, ...devices,
      events: { delivered: (...a) => hooks.delivered?.(...a), resultSent: (...a) => hooks.resultSent?.(...a), refused: (id, reason) => { throw new Error(`envelope ${id} refused: ${reason}`); } },
    });
    const connectStart = performance.now();
    await fleet.connect(devices.ids);
    const connectMs = performance.now() - connectStart;
    // the instances write presence once a second: let every connection be recorded before launching
    await new Promise((r) => setTimeout(r, 3000));
    // agent i is on instance i % instances (the simulator takes the channels in turn, in the order of `devices.ids`)
    const instanceOf = new Map(devices.ids.map((id, i) => [id, i % options.instances]));

    const traffic = new Map(notifyChannels.map((c) => [c, { count: 0, bytes: 0 }]));
    for (const channel of notifyChannels) {
      await listener.listen(channel, (payload) => {
        const t = traffic.get(channel)!;
        t.count++;
        t.bytes += Buffer.byteLength(payload);
      });
    }
    const cpu0 = backends.map((b) => cpuMs(b.child.pid!));
    const deliveredPer = new Array<number>(options.instances).fill(0);
    const allDeliveredPer = new Array<number>(options.instances).fill(NaN);
    let delivered = 0;
    let allDelivered = NaN;
    let resultsSent = 0;
    let lastResultSent = NaN;
    hooks.resultSent = (_id, at) => {
      if (++resultsSent === total) lastResultSent = at - t0;
    };
    const t0 = performance.now();
    hooks.delivered = (_id, dev, at) => {
      const i = instanceOf.get(dev)!;
      if (++deliveredPer[i]! === options.perInstance) allDeliveredPer[i] = at - t0;
      if (++delivered === total) allDelivered = at - t0;
    };
    const chunks: string[][] = [];
    for (let i = 0; i < total; i += limits.maxDevicesPerLaunch) chunks.push(devices.ids.slice(i, i + limits.maxDevicesPerLaunch));
    const requests = await Promise.all(chunks.map(async (ids) => {
      const res = (await post('/executions', { action: 'fleet-noop', devices: ids, parameters: {}, confirmDeviceCount: ids.length, rollout: null })) as { requestId: string };
      return { requestId: res.requestId, answered: performance.now() - t0, size: ids.length };
    }));
    let stored = NaN;
    let succeeded = 0;
    const deadline = Date.now() + 300_000;
    const progress = setInterval(() => process.stdout.write(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${delivered} delivered, ${resultsSent} results sent, ${succeeded} stored\n`), 10_000);
    try {
      while (Date.now() < deadline) {
        // a loaded machine can drop a poll: the next one asks again
        const counts = await Promise.all(requests.map(async (r) => {
          const res = await fetch(`${via!.url}/api/v1/requests/${r.requestId}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(20_000) });
          return ((await res.json()) as { counts: Record<string, number> }).counts.succeeded ?? 0;
        })).catch(() => null);
        if (counts) succeeded = counts.reduce((a, b) => a + b, 0);
        if (succeeded >= total) {
          stored = performance.now() - t0;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      clearInterval(progress);
    }
    const windowMs = performance.now() - t0;
    const cpu = backends.map((b, i) => cpuMs(b.child.pid!) - cpu0[i]!);
    const rss = backends.map((b) => rssBytes(b.child.pid!) / 2 ** 20);
    const notifies = [...traffic.values()].reduce((a, t) => a + t.count, 0);
    const notifyBytes = [...traffic.values()].reduce((a, t) => a + t.bytes, 0);
    const at = `${options.instances} × ${options.perInstance.toLocaleString('en')}`;
    const perInstance = (values: number[], unit: string) => values.map((v, i) => `#${i + 1} ${v.toFixed(0)} ${unit}`).join(', ');
    return [
      {
        name: `Instances: all delivered, ${at} agents`, value: allDelivered, unit: 'ms', target: 'reference',
        note: `${requests.length} launch(es) through instance #1, answered at ${requests.map((r) => r.answered.toFixed(0)).join(' / ')} ms; all delivered per instance ${perInstance(allDeliveredPer, 'ms')}; ${total.toLocaleString('en')} agents connected in ${(connectMs / 1000).toFixed(1)} s`,
      },
      {
        name: `Instances: all results stored, ${at} agents`, value: stored, unit: 'ms', target: 'reference',
        note: `the last result was sent at ${lastResultSent.toFixed(0)} ms (the simulator verifies and answers on its one thread)`,
      },
      {
        name: 'Instances: NOTIFY traffic during the fan-out', value: notifies, unit: 'notifications', target: 'reference',
        note: `${(notifyBytes / 1024).toFixed(1)} KiB of payload in ${(windowMs / 1000).toFixed(1)} s; ${[...traffic].map(([c, t]) => `${c} ${t.count} / ${(t.bytes / 1024).toFixed(1)} KiB`).join(', ')}`,
      },
      {
        name: 'Instances: CPU during the fan-out, instance #1 (launched)', value: cpu[0]!, unit: 'ms', target: 'reference',
        note: `per instance ${perInstance(cpu, 'ms')} over ${(windowMs / 1000).toFixed(1)} s; RSS after ${perInstance(rss, 'MiB')}`,
      },
    ];
  } finally {
    await fleet?.stop();
    await listener.end();
    for (const b of backends) await b.stop();
  }
}
