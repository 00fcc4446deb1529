import { useState } from 'preact/hooks';
import { schedulesApi } from '../../api/automation';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { useLoad } from '../../components/use-load';
import { formatDateTime } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';

export interface ScheduleRunsProps {
  id: string;
}

/**
 * A schedule's firings, newest first: how many devices matched, got an execution, or were skipped (within the reader's
 * scope), and the devices left out for failing, with until when.
 */
export function ScheduleRuns({ id }: ScheduleRunsProps) {
  const [offset, setOffset] = useState(0);
  const runs = useLoad(() => schedulesApi.runs(id, offset), [id, offset]);
  return (
    <section class="panel" aria-labelledby="runs-title">
      <h2 id="runs-title">Run history</h2>
      <ErrorMessage error={runs.error} />
      {runs.loading && !runs.data ? <Loading /> : null}
      {runs.data && runs.data.items.length === 0 ? <p class="muted">It has not run yet. Runs appear here with the launches they made.</p> : null}
      {runs.data && runs.data.items.length > 0 ? (
        <>
          <table class="table compact">
            <caption class="visually-hidden">Runs</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col" class="num">
                  Matched
                </th>
                <th scope="col" class="num">
                  Launched
                </th>
                <th scope="col" class="num">
                  Skipped
                </th>
                <th scope="col">Skipped for failing</th>
                <th scope="col">Launches</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((r) => (
                <tr key={r.id}>
                  <td class="nowrap">{formatDateTime(r.at)}</td>
                  {/* null when the totals would count devices outside your scope */}
                  <td class="num">{r.matched ?? '—'}</td>
                  <td class="num">{r.launched}</td>
                  <td class="num">{r.skipped ?? '—'}</td>
                  <td>
                    {r.skippedDevices.length ? (
                      <ul class="plain" aria-label="Skipped for failing">
                        {r.skippedDevices.map((d) => (
                          <li key={d.deviceId}>
                            <Link href={pathFor('device', { id: d.deviceId })}>{d.deviceName || d.deviceId}</Link>: failed {d.failures} times in a row, skipped until{' '}
                            {formatDateTime(d.until)}
                          </li>
                        ))}
                        {r.damped !== null && r.damped > r.skippedDevices.length ? <li class="muted">and {r.damped - r.skippedDevices.length} more</li> : null}
                      </ul>
                    ) : null}
                  </td>
                  <td>
                    {r.error ? <span class="field-error">{r.error}</span> : null}
                    {r.requestIds.map((req, i) => (
                      <span key={req}>
                        {i ? ', ' : ''}
                        <Link href={pathFor('request', { id: req })}>launch {i + 1}</Link>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {runs.data.total > 20 ? (
            <nav class="pager" aria-label="Run pages">
              <button type="button" class="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 20))}>
                Newer
              </button>
              <span class="muted">
                {offset + 1}–{offset + runs.data.items.length} of {runs.data.total}
              </span>
              <button type="button" class="button" disabled={runs.data.next === null} onClick={() => setOffset(runs.data!.next ?? offset)}>
                Older
              </button>
            </nav>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
