import { schedulesApi } from '../../api/automation';
import type { MeT } from '../../api/resources';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { hasPermission } from '../../lib/access';
import { describeTiming } from '../../lib/automation-form';
import { formatDateTime } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';

export interface SchedulesScreenProps {
  me: MeT;
}

/** Schedules: an action run periodically on the devices a query selects; its outputs become device data. */
export function SchedulesScreen({ me }: SchedulesScreenProps) {
  const list = useLoad(() => schedulesApi.list(), []);
  const canEdit = hasPermission(me, 'actions:edit');
  return (
    <>
      <PageHeader title="Schedules" description="Actions that run periodically on the devices a query selects; their outputs become fields you can query.">
        {canEdit ? (
          <Link class="button primary" href={pathFor('schedule-new')}>
            New schedule
          </Link>
        ) : null}
      </PageHeader>
      <ErrorMessage error={list.error} title="Could not load the schedules" />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        <EmptyState title="No schedules yet">
          {canEdit ? (
            <p>
              Collect data on a rhythm: <Link href={pathFor('schedule-new')}>create a schedule</Link> with a data-collection action (one that allows the
              schedule trigger), a device query and an interval or cron expression.
            </p>
          ) : (
            <p>Authors create schedules; their runs and the data they collect show up here and on each device.</p>
          )}
        </EmptyState>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Schedules</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Action</th>
              <th scope="col">Runs</th>
              <th scope="col">Next</th>
              <th scope="col">Last</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={pathFor('schedule', { id: s.id })}>{s.name}</Link>
                  <div class="muted small">
                    <code>{s.target}</code>
                  </div>
                </td>
                <td>
                  <code>{s.actionSlug}</code>
                </td>
                <td>{describeTiming(s)}</td>
                <td>
                  {s.pausedReason ? (
                    <span class="status-badge tone-bad" title={s.pausedReason}>
                      paused
                    </span>
                  ) : s.enabled ? (
                    formatDateTime(s.nextRunAt)
                  ) : (
                    <span class="status-badge tone-off">disabled</span>
                  )}
                  <div class="muted small">as {s.owner ?? 'nobody'}</div>
                </td>
                <td>{formatDateTime(s.lastRunAt) || 'never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
