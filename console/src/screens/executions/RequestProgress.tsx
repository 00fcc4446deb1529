import { executionStatuses } from '@fixpoint/protocol';
import { useEffect, useMemo } from 'preact/hooks';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { LiveMark } from '../../components/LiveMark';
import { PageHeader } from '../../components/PageHeader';
import { finishedCount } from '../../lib/executions';
import { formatDateTime } from '@fixpoint/protocol';
import { createLaunchProgress } from '../../stores/live-executions';
import { ExecutionTable } from './ExecutionTable';
import { LabelName } from '../../components/LabelName';
import { RolloutPanel } from './RolloutPanel';
import type { MeT } from '../../api/resources';
import { hasPermission } from '../../lib/access';

export interface RequestProgressProps {
  me: MeT;
  id: string;
}

/** One launch to many devices: counts per status filling in live, and its executions. */
export function RequestProgress({ me, id }: RequestProgressProps) {
  const launch = useMemo(() => createLaunchProgress(id), [id]);
  useEffect(() => () => launch.dispose(), [launch]);
  const summary = launch.summary.value;
  const progress = launch.progress.value;
  if (launch.error.value && !summary) return <ErrorMessage error={launch.error.value} title="Could not load the launch" />;
  if (!summary || !progress) return <Loading />;
  const done = finishedCount(progress);
  const present = executionStatuses.filter((s) => progress.counts[s] > 0);
  const executions = launch.executions.value;
  return (
    <>
      <PageHeader
        title={`Launch of ${summary.actionSlug}`}
        description={
          <>
            Version {summary.actionVersion} · {summary.trigger} · requested by <LabelName label={summary.requestedBy} /> · {formatDateTime(summary.createdAt)}
          </>
        }
      >
        <LiveMark state={launch.live.value} />
      </PageHeader>
      <section class="panel" aria-labelledby="progress-title">
        <h2 id="progress-title">Progress</h2>
        <p>
          <label for="launch-progress">
            {done} of {progress.total} {progress.total === 1 ? 'execution' : 'executions'} finished
          </label>
        </p>
        <progress id="launch-progress" max={Math.max(progress.total, 1)} value={done} class="launch-progress" />
        <div class="stacked-bar" aria-hidden="true">
          {present.map((s) => (
            <span key={s} class={`segment fill-${s}`} style={`width: ${(progress.counts[s] / Math.max(progress.total, 1)) * 100}%`} />
          ))}
        </div>
        <ul class="legend" data-testid="status-counts">
          {executionStatuses.map((s) => (
            <li key={s} class={progress.counts[s] ? '' : 'muted'}>
              <span class={`swatch fill-${s}`} aria-hidden="true" />
              {s.replace('_', ' ')}: <strong>{progress.counts[s]}</strong>
            </li>
          ))}
        </ul>
      </section>
      {summary.rollout ? (
        <RolloutPanel
          summary={{ ...summary, rollout: summary.rollout }}
          canControl={hasPermission(me, 'actions:run') && (me.runnableActions.includes('*') || me.runnableActions.includes(summary.actionSlug) || hasPermission(me, 'admin'))}
          onChanged={() => void launch.reload()}
        />
      ) : null}
      <ErrorMessage error={launch.error.value} />
      <section aria-labelledby="launch-executions-title">
        <h2 id="launch-executions-title">Executions</h2>
        {executions.length ? <ExecutionTable items={executions} caption="Executions of this launch" /> : <p class="muted">None on devices you may see.</p>}
        {progress.total > executions.length ? <p class="muted">The first {executions.length} of {progress.total} are listed.</p> : null}
      </section>
    </>
  );
}
