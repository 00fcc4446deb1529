import { outputRows } from '@fixpoint/launcher';
import { isTerminal } from '@fixpoint/protocol';
import { useEffect } from 'preact/hooks';
import { openLiveStatus } from '../../api/live';
import { executionsApi } from '../../api/operate';
import { actionsApi, type MeT } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { neutralLabels } from '../../lib/detection-outcomes';
import { useLoad } from '../../components/use-load';
import { hasPermission } from '../../lib/access';
import { timeline } from '../../lib/executions';
import { formatDateTime, formatDuration } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';
import { announce, showNotice } from '../../stores/notice';
import { LabelName } from '../../components/LabelName';

export interface ExecutionDetailProps {
  me: MeT;
  id: string;
}

/** One execution: its timeline, parameters, outputs and output tails, followed live until it finishes; cancel while it runs. */
export function ExecutionDetail({ me, id }: ExecutionDetailProps) {
  const execution = useLoad(() => executionsApi.get(id), [id]);
  const e = execution.data;
  const version = useLoad(
    () => (e ? actionsApi.version(e.actionSlug, e.actionVersion).catch(() => null) : Promise.resolve(null)),
    [e?.actionSlug, e?.actionVersion],
  );
  const requestId = e?.requestId;
  const finished = e ? isTerminal(e.status) : false;
  useEffect(() => {
    if (!requestId || finished) return;
    return openLiveStatus(
      { requestId },
      {
        // Reading the execution again brings the outputs and tails with the new status.
        onEvent: (event) => {
          if (event.id !== id) return;
          executionsApi.get(id).then((next) => {
            execution.set(next);
            announce(`Status: ${next.status.replace('_', ' ')}`);
          }, () => undefined);
        },
        onOpen: () => executionsApi.get(id).then(execution.set, () => undefined),
      },
    );
  }, [requestId, finished]);

  if (execution.error) return <ErrorMessage error={execution.error} title="Could not load the execution" />;
  if (!e) return <Loading />;
  const outputs = outputRows(e, version.data?.outputs ?? []);
  const parameters = Object.entries(e.parameters);
  const cancel = async () => {
    try {
      execution.set(await executionsApi.cancel(e.id));
      showNotice('Execution canceled.');
    } catch (error) {
      showNotice(`Could not cancel: ${error instanceof Error ? error.message : String(error)}`, 'info');
    }
  };
  return (
    <>
      <PageHeader
        title={`${e.actionSlug} on ${e.deviceName ?? 'a device'}`}
        description={
          <>
            <StatusBadge status={e.status} />
            {e.neutral ? (
              <>
                {' '}
                <span class="status-badge tone-off" data-testid="neutral-outcome">
                  {neutralLabels[e.neutral]} (neutral)
                </span>
              </>
            ) : null}{' '}
            version {e.actionVersion} · {e.trigger} · requested by <LabelName label={e.requestedBy} />
            {e.triggerInfo.externalReference ? ` · ${e.triggerInfo.externalSource ?? 'reference'} ${e.triggerInfo.externalReference}` : ''}
          </>
        }
      >
        {!finished && hasPermission(me, 'actions:run') ? (
          <ConfirmButton label="Cancel execution" small={false} question="Cancel this execution?" confirmLabel="Cancel it" onConfirm={cancel} />
        ) : null}
        <Link class="button" href={pathFor('device', { id: e.deviceId })}>
          Device
        </Link>
        <Link class="button" href={pathFor('request', { id: e.requestId })}>
          Whole launch
        </Link>
      </PageHeader>
      <div class="grid-2">
        <section class="panel" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          <ol class="timeline" data-testid="timeline">
            {timeline(e).map((step) => (
              <li key={step.label} class={step.at ? 'reached' : 'pending'}>
                <span class="step-label">{step.label}</span>
                <span class="step-time">{step.at ? formatDateTime(step.at) : 'not yet'}</span>
                {step.afterSec !== null ? <span class="muted small"> after {formatDuration(step.afterSec)}</span> : null}
              </li>
            ))}
          </ol>
          <p class="muted small">Expires {formatDateTime(e.expiresAt)} if the device does not pick it up.</p>
        </section>
        <section class="panel" aria-labelledby="result-title">
          <h2 id="result-title">Result</h2>
          {e.exitCode !== null ? <p>Exit code {e.exitCode}</p> : null}
          {e.error ? <p class="alert alert-error">{e.error}</p> : null}
          {outputs.length ? (
            <table class="table compact" data-testid="execution-outputs">
              <caption class="visually-hidden">Outputs</caption>
              <thead>
                <tr>
                  <th scope="col">Output</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {outputs.map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td class="wrap">{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">{finished ? 'No outputs were reported.' : 'Outputs appear here when the script finishes.'}</p>
          )}
          {parameters.length ? (
            <>
              <h3>Parameters</h3>
              <dl class="facts">
                {parameters.map(([name, value]) => (
                  <div key={name}>
                    <dt>{name}</dt>
                    <dd>{String(value)}</dd>
                  </div>
                ))}
              </dl>
            </>
          ) : null}
        </section>
      </div>
      <section class="panel" aria-labelledby="output-title">
        <h2 id="output-title">Script output</h2>
        <h3>Standard output</h3>
        <pre class="tail" tabIndex={0} aria-label="Standard output">{e.stdoutTail || '(nothing)'}</pre>
        <h3>Standard error</h3>
        <pre class="tail" tabIndex={0} aria-label="Standard error">{e.stderrTail || '(nothing)'}</pre>
      </section>
    </>
  );
}
