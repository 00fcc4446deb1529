import type { ExecutionRequestSummary, RolloutProgress } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { executionsApi } from '../../api/operate';
import { ErrorMessage } from '../../components/Feedback';
import { formatDateTime } from '@fixpoint/protocol';

export interface RolloutPanelProps {
  summary: ExecutionRequestSummary & { rollout: RolloutProgress };
  /** The caller may run the action, so may pause, resume and cancel. */
  canControl: boolean;
  /** Called with the launch as the API returned it after a change. */
  onChanged: () => void;
}

/** What each wave's row shows: devices, then how many ended well, badly, or are still to run. */
export function waveCells(wave: RolloutProgress['waves'][number]) {
  const c = wave.counts;
  return {
    succeeded: c.succeeded,
    failed: c.failed + c.timed_out,
    waiting: c.held + c.queued + c.delivered + c.running,
    dropped: c.canceled + c.expired,
  };
}

/** A staged rollout: its state, each wave's progress, and pause, resume and cancel. */
export function RolloutPanel({ summary, canControl, onChanged }: RolloutPanelProps) {
  const { rollout } = summary;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (what: 'pauseRequest' | 'resumeRequest' | 'cancelRequest') => {
    setBusy(true);
    setError(null);
    try {
      await executionsApi[what](summary.id);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const open = rollout.state === 'running' || rollout.state === 'paused';
  return (
    <section class="panel" aria-labelledby="rollout-title" data-testid="rollout">
      <h2 id="rollout-title">Staged rollout</h2>
      <p>
        <strong data-testid="rollout-state">{rollout.state}</strong> · wave {rollout.currentWave} of {rollout.waves.length}
        {rollout.nextWaveAt ? ` · next wave at ${formatDateTime(rollout.nextWaveAt)}` : ''}
      </p>
      {rollout.pausedReason ? <p class="alert alert-error" data-testid="rollout-reason">Paused: {rollout.pausedReason}</p> : null}
      <table>
        <caption class="visually-hidden">Waves of the rollout</caption>
        <thead>
          <tr>
            <th scope="col">Wave</th>
            <th scope="col">Share</th>
            <th scope="col">Devices</th>
            <th scope="col">Succeeded</th>
            <th scope="col">Failed</th>
            <th scope="col">Waiting</th>
            <th scope="col">Canceled or expired</th>
            <th scope="col">Must succeed</th>
          </tr>
        </thead>
        <tbody>
          {rollout.waves.map((w, i) => {
            const cells = waveCells(w);
            return (
              <tr key={i} aria-current={i + 1 === rollout.currentWave ? 'step' : undefined}>
                <th scope="row">{i + 1}</th>
                <td>{w.percent} %</td>
                <td>{w.devices}</td>
                <td>{cells.succeeded}</td>
                <td>{cells.failed}</td>
                <td>{cells.waiting}</td>
                <td>{cells.dropped}</td>
                <td>{Math.round(w.minSuccessRate * 100)} %</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorMessage error={error} title="Could not change the rollout" />
      {canControl && open ? (
        <p class="actions">
          {rollout.state === 'running' ? (
            <button type="button" disabled={busy} onClick={() => void act('pauseRequest')}>
              Pause
            </button>
          ) : (
            <button type="button" class="primary" disabled={busy} onClick={() => void act('resumeRequest')}>
              Resume
            </button>
          )}{' '}
          <button type="button" class="danger" disabled={busy} onClick={() => void act('cancelRequest')}>
            Cancel what is queued or held
          </button>
        </p>
      ) : null}
    </section>
  );
}
