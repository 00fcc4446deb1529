import { devicesApi } from '../../api/operate';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { useLoad } from '../../components/use-load';
import { describeAnswers } from '../../lib/answers';
import { formatDateTime } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';
import { responseStateLabel } from '../../lib/campaign-results';

export interface DeviceResponsesProps {
  deviceId: string;
}

/** What users of this device answered to campaigns, newest first. */
export function DeviceResponses({ deviceId }: DeviceResponsesProps) {
  const responses = useLoad(() => devicesApi.campaignResponses(deviceId), [deviceId]);
  return (
    <section class="panel" aria-labelledby="responses-title">
      <h2 id="responses-title">Campaign responses</h2>
      <ErrorMessage error={responses.error} />
      {responses.loading && !responses.data ? <Loading /> : null}
      {responses.data && responses.data.items.length === 0 ? <p class="muted">No campaign has been answered on this device yet.</p> : null}
      {responses.data && responses.data.items.length > 0 ? (
        <table class="table compact">
          <caption class="visually-hidden">Campaign responses on this device</caption>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">State</th>
              <th scope="col">User</th>
              <th scope="col">Answers</th>
              <th scope="col">Received</th>
            </tr>
          </thead>
          <tbody>
            {responses.data.items.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={pathFor('campaign', { id: r.campaignSlug })}>{r.campaignName}</Link>
                  <div class="muted small">v{r.campaignVersion}</div>
                </td>
                <td>{responseStateLabel(r.state)}</td>
                <td>{r.user ?? ''}</td>
                <td class="wrap">
                  {describeAnswers(r.answers, r.freeText).map((line) => (
                    <div key={line} class="small">
                      {line}
                    </div>
                  ))}
                </td>
                <td class="nowrap">{formatDateTime(r.receivedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {responses.data && responses.data.total > responses.data.items.length ? (
        <p class="muted small">
          Showing the latest {responses.data.items.length} of {responses.data.total}.
        </p>
      ) : null}
    </section>
  );
}
