/**
 * Fleet suites, driven by the simulator in `agents.ts` against the real backend (PostgreSQL when a server answers):
 * capacity (RSS per connected agent), dispatch latency (launch → envelope verified / script started),
 * fan-out (one launch to many agents: all delivered, all results stored) and result ingest. Bare baselines come
 * from `bare-server.ts` in the same run.
 */
import { isTerminal, type ExecutionStatus } from '@fixpoint/protocol';
import type { Figure } from '../lib/report';
import { startBackend } from '../lib/backend';
import { cpuMs, openFileLimit, rssBytes } from '../lib/proc';
import { median, percentile } from '../lib/stats';
import { Fleet, type FleetEvents } from './agents';
import { bareBroadcast, bareRoundTrips, startBareServer } from './bare';
import { poster, seedFleetDevices } from './devices';

export interface FleetBenchOptions {
  /** Connected-agent counts at which RSS is read, ascending. */
  steps: number[];
  /** Connected-agent counts (among `steps`) at which dispatch latency is measured. */
  dispatchAt: number[];
  dispatchRuns: number;
  fanoutAt: number;
  databaseUrl?: string;
}

// A fan-out to every agent at once is deliberate: confirmed and unstaged (the bench's admin may skip the rollout).
const launchBody = (deviceIds: string[]) => ({
  action: 'fleet-noop',
  devices: deviceIds,
  parameters: {},
  triggerInfo: { reason: 'bench' },
  ...(deviceIds.length > 1 && { confirmDeviceCount: deviceIds.length, rollout: null }),
});

export async function benchFleet(options: FleetBenchOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  const db = options.databaseUrl ? 'PostgreSQL' : 'PGlite';
  const max = options.steps[options.steps.length - 1]!;
  const limit = openFileLimit();
  if (max + 200 > limit) throw new Error(`ulimit -n is ${limit}; ${max} agents need about ${max + 200} open files`);
  const backend = await startBackend(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {});
  const pid = backend.child.pid!;
  let fleet: Fleet | null = null;
  try {
    const token = await backend.token();
    const post = poster(backend, token);
    await post('/actions', {
      slug: 'fleet-noop', name: 'Fleet no-op', purpose: 'data_collection', scripts: { linux: { source: 'true\n' } }, outputs: [{ name: 'ok', type: 'bool' }],
    });
    const devices = await seedFleetDevices(backend, token, max, options.databaseUrl);
    const launch = async (ids: string[]) => (await post('/executions', launchBody(ids))) as { requestId: string; executions: { id: string }[] };

    // Hooks the fan-out and dispatch loops swap in; one fleet serves every step.
    const hooks: FleetEvents = {};
    const newFleet = () =>
      new Fleet({ channelUrl: `${backend.url.replace(/^http/, 'ws')}/api/v1/agent/channel`, ...devices, events: {
        verified: (...a) => hooks.verified?.(...a), started: (...a) => hooks.started?.(...a),
        resultSent: (...a) => hooks.resultSent?.(...a), delivered: (...a) => hooks.delivered?.(...a), refused: (id, reason) => { throw new Error(`envelope ${id} refused: ${reason}`); },
      } });

    // One warm-up launch to one agent: the backend's code paths are loaded, and it gives the real frame size.
    fleet = newFleet();
    await fleet.connect(devices.ids.slice(0, 1));
    const frameBytes = await new Promise<number>((resolve) => {
      hooks.verified = (_id, _dev, _at, envelope) => resolve(Buffer.byteLength(JSON.stringify({ type: 'execute', envelope })));
      void launch(devices.ids.slice(0, 1));
    });
    hooks.verified = undefined;
    await fleet.stop();

    // Bare baselines first: their clients and the fleet would not both fit under the open-file limit.
    const bare = await startBareServer(options.databaseUrl);
    let bareTrips: number[];
    let durableTrips: number[];
    let bareFanout: number;
    try {
      bareTrips = await bareRoundTrips(bare, options.dispatchRuns, JSON.stringify(launchBody([devices.ids[0]!])));
      durableTrips = await bareRoundTrips(bare, options.dispatchRuns, JSON.stringify(launchBody([devices.ids[0]!])), '/durable');
      bareFanout = await bareBroadcast(bare, options.fanoutAt, 'x'.repeat(frameBytes));
    } finally {
      await bare.stop();
    }

    await new Promise((r) => setTimeout(r, 1000));
    const rss0 = rssBytes(pid);
    fleet = newFleet();
    for (const step of options.steps) {
      const connectStart = performance.now();
      const before = fleet.size;
      const cpu0 = cpuMs(pid);
      await fleet.connect(devices.ids.slice(fleet.size, step));
      const connectMs = performance.now() - connectStart;
      const connectCpu = cpuMs(pid) - cpu0;
      await new Promise((r) => setTimeout(r, 2000));
      const perConn = (rssBytes(pid) - rss0) / step / 1024;
      figures.push({
        name: `Capacity: RSS per agent at ${step.toLocaleString('en')} (${db})`, value: perConn, unit: 'KB', target: '≤ 30 KB', ok: perConn <= 30,
        note: `backend RSS ${(rss0 / 2 ** 20).toFixed(0)} → ${(rssBytes(pid) / 2 ** 20).toFixed(0)} MiB; ${step - before} agents connected in ${(connectMs / 1000).toFixed(1)} s (${connectCpu} ms backend CPU)`,
      });
      if (options.dispatchAt.includes(step)) figures.push(...(await dispatch(step)));
      if (step === options.fanoutAt) figures.push(...(await fanout(step)));
    }
    return figures;

    async function dispatch(connected: number): Promise<Figure[]> {
      const verified: number[] = [];
      const started: number[] = [];
      for (let i = 0; i < options.dispatchRuns + 5; i++) {
        const deviceId = devices.ids[(i * 7919) % connected]!;
        const t0 = performance.now();
        let answered!: Promise<{ executions: { id: string }[] }>;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no envelope reached ${deviceId} in 10 s`)), 10_000);
          hooks.verified = (_id, dev, at) => { if (dev === deviceId && i >= 5) verified.push(at - t0); };
          hooks.started = (_id, dev, at) => {
            if (dev !== deviceId) return;
            if (i >= 5) started.push(at - t0);
            clearTimeout(timer);
            resolve();
          };
          answered = launch([deviceId]);
          answered.catch(reject);
        });
        // One launch at a time, as in the baseline: the next starts once this one's result is stored, so its
        // dispatch does not share the backend and the database with storing the previous result.
        await finished((await answered).executions[0]!.id);
      }
      hooks.verified = hooks.started = undefined;
      const p50 = median(verified);
      const base = median(durableTrips);
      const p99Start = percentile(started, 99);
      const at = connected.toLocaleString('en');
      return [
        {
          name: `Dispatch p50: launch → verified, ${at} agents`, value: p50, unit: 'ms', baseline: base, ratio: p50 / base, target: '≤ 2× bare POST+commit+WS', ok: p50 / base <= 2,
          note: `${(p50 / median(bareTrips)).toFixed(1)}× the bare POST+WS without a commit (${median(bareTrips).toFixed(2)} ms)`,
        },
        { name: `Dispatch p99: launch → verified, ${at} agents`, value: percentile(verified, 99), unit: 'ms', baseline: percentile(durableTrips, 99), ratio: percentile(verified, 99) / percentile(durableTrips, 99), target: 'reference' },
        { name: `Dispatch p99: launch → script started, ${at} agents`, value: p99Start, unit: 'ms', target: '≤ 100 ms at 10k', ok: p99Start <= 100 },
      ];
    }

    async function finished(executionId: string): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const res = await fetch(`${backend.url}/api/v1/executions/${executionId}`, { headers: { authorization: `Bearer ${token}` } });
        if (isTerminal(((await res.json()) as { status: ExecutionStatus }).status)) return;
        await new Promise((r) => setTimeout(r, 2));
      }
      throw new Error(`execution ${executionId} did not finish in 10 s`);
    }

    async function fanout(count: number): Promise<Figure[]> {
      const targets = new Set(devices.ids.slice(0, count));
      let delivered = 0;
      let verified = 0;
      let firstResult = NaN;
      let firstDelivered = NaN;
      let allDelivered = NaN;
      let allVerified = NaN;
      // CPU time (ms) of the backend and of this process (the simulator) from the launch to all delivered and to all
      // stored: figures the machine's load changes less than wall-clock times.
      const cpu = () => ({ backend: cpuMs(pid), simulator: (process.cpuUsage().user + process.cpuUsage().system) / 1000 });
      let cpuDelivered = { backend: NaN, simulator: NaN };
      const cpuStart = cpu();
      const t0 = performance.now();
      hooks.delivered = (_id, dev, at) => {
        if (!targets.has(dev)) return;
        if (++delivered === 1) firstDelivered = at - t0;
        if (delivered === count) {
          allDelivered = at - t0;
          cpuDelivered = cpu();
        }
      };
      hooks.verified = (_id, dev, at) => {
        if (targets.has(dev) && ++verified === count) allVerified = at - t0;
      };
      hooks.resultSent = (_id, at) => { if (Number.isNaN(firstResult)) firstResult = at; };
      const { requestId } = await launch([...targets]);
      const answered = performance.now() - t0;
      let stored = NaN;
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const res = await fetch(`${backend.url}/api/v1/requests/${requestId}`, { headers: { authorization: `Bearer ${token}` } });
        const { counts } = (await res.json()) as { counts: Record<string, number> };
        if ((counts.succeeded ?? 0) >= count) {
          stored = performance.now() - t0;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const cpuStored = cpu();
      hooks.delivered = hooks.verified = hooks.resultSent = undefined;
      const at = count.toLocaleString('en');
      const cpuNote = (until: { backend: number; simulator: number }) =>
        `CPU since the launch: backend ${until.backend - cpuStart.backend} ms, simulator ${(until.simulator - cpuStart.simulator).toFixed(0)} ms`;
      const ingest = count / ((t0 + stored - firstResult) / 1000);
      return [
        {
          name: `Fan-out: all delivered, ${at} agents`, value: allDelivered, unit: 'ms', baseline: bareFanout, ratio: allDelivered / bareFanout, target: '≤ 3× bare broadcast', ok: allDelivered / bareFanout <= 3,
          note: `launch answered at ${answered.toFixed(0)} ms, first envelope delivered at ${firstDelivered.toFixed(0)} ms; ${cpuNote(cpuDelivered)}`,
        },
        {
          name: `Fan-out: all verified, ${at} agents`, value: allVerified, unit: 'ms', target: 'reference',
          note: 'every virtual agent checked its envelope on the simulator\'s one thread: its leaf and path each, the launch\'s one signature once for all',
        },
        {
          name: `Fan-out: all results stored, ${at} agents`, value: stored, unit: 'ms', baseline: allDelivered, ratio: stored / allDelivered, target: '≤ 2× all delivered',
          ok: stored / allDelivered <= 2, note: cpuNote(cpuStored),
        },
        { name: `Result ingest (${db})`, value: ingest, unit: 'results/s', target: 'reference', note: 'from the first result sent to the last one stored' },
      ];
    }
  } finally {
    await fleet?.stop();
    await backend.stop();
  }
}

