import type { Execution } from '../../api/operate';
import { Link } from '../../components/Link';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatDuration } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';
import { LabelName } from '../../components/LabelName';
import { neutralLabels } from '../../lib/detection-outcomes';

export interface ExecutionTableProps {
  items: readonly Execution[];
  caption: string;
  /** On a device's page every row is that device. */
  hideDevice?: boolean;
}

function duration(e: Execution): string {
  if (!e.startedAt || !e.finishedAt) return '';
  return formatDuration((Date.parse(e.finishedAt) - Date.parse(e.startedAt)) / 1000);
}

/**
 * Executions, newest first: when, device, action, who (and by which trigger), status (or the neutral self-help outcome) and
 * run time; each row opens the execution.
 */
export function ExecutionTable({ items, caption, hideDevice }: ExecutionTableProps) {
  return (
    <div class="table-scroll">
      <table class="table compact" data-testid="executions">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            {hideDevice ? null : <th scope="col">Device</th>}
            <th scope="col">Action</th>
            <th scope="col">Requested by</th>
            <th scope="col">Status</th>
            <th scope="col">Run time</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td class="nowrap">
                <Link href={pathFor('execution', { id: e.id })} aria-label={`Execution of ${e.actionSlug}${e.deviceName ? ` on ${e.deviceName}` : ''}, ${formatDateTime(e.createdAt)}`}>
                  {formatDateTime(e.createdAt)}
                </Link>
              </td>
              {hideDevice ? null : (
                <td>
                  <Link href={pathFor('device', { id: e.deviceId })}>{e.deviceName ?? e.deviceId.slice(0, 8)}</Link>
                </td>
              )}
              <td class="nowrap">
                <code>{e.actionSlug}</code> <span class="muted small">v{e.actionVersion}</span>
              </td>
              <td class="wrap">
                <LabelName label={e.requestedBy} />
                <div class="muted small">{e.trigger}</div>
              </td>
              <td>
                {e.neutral ? (
                  // a self-help run the user declined, postponed or left unanswered, or with nobody logged in: not a failure
                  <span class="status-badge tone-off" data-testid="neutral-outcome" title={`Neutral self-help outcome (status ${e.status})`}>
                    {neutralLabels[e.neutral]} (neutral)
                  </span>
                ) : (
                  <StatusBadge status={e.status} />
                )}
                {e.exitCode !== null && e.exitCode !== 0 ? <span class="muted small"> exit {e.exitCode}</span> : null}
              </td>
              <td class="nowrap">{duration(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
