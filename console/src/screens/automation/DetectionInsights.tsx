import { useState } from 'preact/hooks';
import { detectionsApi, type DetectionDryRun, type DetectionEvent, type DetectionRule } from '../../api/automation';
import { BarChart } from '../../components/BarChart';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { useLoad } from '../../components/use-load';
import { barRows } from '../../lib/charts';
import { formatDateTime } from '@fixpoint/protocol';
import { neutralLabels, runOutcome } from '../../lib/detection-outcomes';
import { pathFor } from '../../router/routes';

export interface DetectionInsightsProps {
  rule: DetectionRule;
  canEdit: boolean;
  onResumed: (rule: DetectionRule) => void;
}

const verdictLabels: Record<string, string> = {
  fires: 'Would fire now',
  already_handled: 'Already handled',
  in_flight: 'A run is in flight',
  cooldown: 'In cooldown',
  daily_limit: 'Daily limit reached',
  max_attempts: 'Out of attempts',
  concurrency_cap: 'Held by the concurrency cap',
  canary: 'Waiting for the canary',
  paused: 'Rule paused',
  disabled: 'Rule disabled',
  no_script: 'No script for its platform',
};

/** A rule's health (with its breaker and rollout), a dry run, and the executions it started. */
export function DetectionInsights({ rule, canEdit, onResumed }: DetectionInsightsProps) {
  const health = useLoad(() => detectionsApi.health(rule.id), [rule.id, rule.updatedAt]);
  const history = useLoad(() => detectionsApi.events(rule.id), [rule.id, rule.updatedAt]);
  const [dry, setDry] = useState<DetectionDryRun | null>(null);
  const [dryError, setDryError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [resumeError, setResumeError] = useState<unknown>(null);
  const h = health.data;
  const dryRun = async () => {
    setBusy(true);
    setDryError(null);
    try {
      setDry(await detectionsApi.dryRun(rule.id));
    } catch (e) {
      setDryError(e);
    } finally {
      setBusy(false);
    }
  };
  const resume = async () => {
    try {
      onResumed(await detectionsApi.resume(rule.id));
      health.reload();
    } catch (e) {
      setResumeError(e);
    }
  };
  return (
    <>
      <section class="panel" aria-labelledby="health-title">
        <h2 id="health-title">Health</h2>
        <ErrorMessage error={health.error ?? resumeError} />
        {health.loading && !h ? <Loading /> : null}
        {h ? (
          <>
            {h.pausedByBreaker || rule.pausedForOwner ? (
              <div class="alert alert-error" role="status">
                <div>
                  <strong>{rule.pausedForOwner ? 'Paused: its owner may not fire it.' : 'Paused by its circuit breaker.'}</strong> {h.pausedReason ?? ''}
                  {rule.pausedForOwner && canEdit ? ' Resuming it makes you its owner.' : ''}
                  {canEdit ? (
                    <div class="form-actions">
                      <button type="button" class="button" onClick={resume}>
                        Resume the rule
                      </button>
                    </div>
                  ) : null}
                </div>
              </div>
            ) : (
              <p>
                Breaker closed: the rule pauses itself when {Math.round(rule.guards.breaker.failureRate * 100)} % of its last {rule.guards.breaker.window} results fail.
              </p>
            )}
            {h.awaitingApproval ? (
              <p class="alert alert-info" role="status">
                <strong>Waiting for approval:</strong> {h.awaitingApproval}. Matching devices wait and fire once it is approved.
              </p>
            ) : null}
            <dl class="stats">
              {(
                [
                  ['Matching now', h.matches],
                  ['Waiting', h.pending],
                  ['In flight', h.inFlight],
                  ['Fired', h.fired],
                  ['Succeeded', h.succeeded],
                  ['Failed', h.failed],
                  ['Neutral', h.neutral],
                  ['Other', h.other],
                ] as const
              ).map(([label, n]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{n}</dd>
                </div>
              ))}
            </dl>
            {h.neutral ? (
              <p class="small" data-testid="neutral-outcomes">
                Neutral self-help outcomes (neither success nor failure):{' '}
                {(Object.keys(neutralLabels) as (keyof typeof neutralLabels)[])
                  .filter((k) => h.neutralByOutcome[k])
                  .map((k) => `${neutralLabels[k].toLowerCase()} ${h.neutralByOutcome[k]}`)
                  .join(' · ')}
              </p>
            ) : null}
            <p class="small">
              Rollout: {h.rollout.stage === 'canary' ? `canary, ${h.rollout.canarySucceeded} of ${h.rollout.canarySize} succeeded so far` : 'every matching device'}
              {h.lastFiredAt ? ` · last fired ${formatDateTime(h.lastFiredAt)}` : ''}
              {h.lastError ? ` · last error: ${h.lastError}` : ''}
            </p>
          </>
        ) : null}
      </section>
      <section class="panel" aria-labelledby="dry-title">
        <div class="preview-head">
          <h2 id="dry-title">Dry run</h2>
          <button type="button" class="button" disabled={busy} onClick={dryRun}>
            {busy ? 'Evaluating…' : 'Run a dry run'}
          </button>
        </div>
        <p class="muted small">Which devices the rule would fire on now, and which guard holds back the others. Nothing runs.</p>
        <ErrorMessage error={dryError} />
        {dry ? (
          <div data-testid="dry-run">
            <p role="status">
              {dry.matching} {dry.matching === 1 ? 'device matches' : 'devices match'}; {dry.wouldFire} would fire now ({formatDateTime(dry.evaluatedAt)}).
            </p>
            {dry.matching ? (
              <BarChart
                caption="Matching devices by verdict"
                labelHeader="Verdict"
                rows={barRows(Object.entries(dry.verdicts).map(([k, n]) => ({ key: k, label: verdictLabels[k] ?? k, count: n ?? 0 })))}
              />
            ) : null}
            {dry.devices.length ? (
              <table class="table compact">
                <caption class="visually-hidden">Matching devices</caption>
                <thead>
                  <tr>
                    <th scope="col">Device</th>
                    <th scope="col">Verdict</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {dry.devices.slice(0, 100).map((d) => (
                    <tr key={d.deviceId}>
                      <td>
                        <Link href={pathFor('device', { id: d.deviceId })}>{d.deviceName}</Link>
                      </td>
                      <td>{verdictLabels[d.verdict] ?? d.verdict}</td>
                      <td class="wrap">{d.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </div>
        ) : null}
      </section>
      <section class="panel" aria-labelledby="fired-title">
        <h2 id="fired-title">Runs it started</h2>
        <ErrorMessage error={history.error} />
        {history.data ? <HistoryTable events={history.data.items} /> : null}
      </section>
    </>
  );
}

function HistoryTable({ events }: { events: DetectionEvent[] }) {
  if (!events.length) return <p class="muted">It has not fired yet.</p>;
  return (
    <table class="table compact">
      <caption class="visually-hidden">Latest runs started by this rule</caption>
      <thead>
        <tr>
          <th scope="col">Fired</th>
          <th scope="col">Device</th>
          <th scope="col">Attempt</th>
          <th scope="col">Outcome</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => {
          const outcome = runOutcome(e);
          return (
            <tr key={e.id}>
              <td>{e.executionId ? <Link href={pathFor('execution', { id: e.executionId })}>{formatDateTime(e.firedAt)}</Link> : formatDateTime(e.firedAt)}</td>
              <td>
                <Link href={pathFor('device', { id: e.deviceId })}>{e.deviceName}</Link>
              </td>
              <td>{e.attempt}</td>
              <td class={outcome.neutral ? 'muted' : undefined}>{outcome.label}</td>
              <td class="wrap">{e.error ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
