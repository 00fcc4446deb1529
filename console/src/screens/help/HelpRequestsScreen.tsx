import { formatDateTime } from '@fixpoint/protocol';
import { helpApi } from '../../api/operate';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { pathFor } from '../../router/routes';
import { factSummary } from './facts';

/** What users asked IT for from their tray ("Get help"), newest first, on the devices the signed-in user may see. */
export function HelpRequestsScreen() {
  const requests = useLoad(() => helpApi.list(), []);
  return (
    <>
      <PageHeader title="Help requests" description="What users asked for from the tray's Get help, with the device's facts at the time and the screenshot they chose to include." />
      <ErrorMessage error={requests.error} />
      {requests.loading && !requests.data ? <Loading /> : null}
      {requests.data && requests.data.items.length === 0 ? <p class="muted">No help request yet.</p> : null}
      {requests.data && requests.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Help requests, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Device</th>
              <th scope="col">User</th>
              <th scope="col">Screenshot</th>
              <th scope="col">Received</th>
            </tr>
          </thead>
          <tbody>
            {requests.data.items.map((r) => (
              <tr key={r.id}>
                <td class="wrap">
                  <strong>{r.subject}</strong>
                  {r.description ? <div class="small">{r.description}</div> : null}
                  <div class="muted small">{factSummary(r.facts)}</div>
                </td>
                <td>
                  <Link href={pathFor('device', { id: r.deviceId })}>{r.deviceName || r.deviceId}</Link>
                </td>
                <td>{r.user}</td>
                <td>
                  {r.screenshot ? (
                    <a href={`/api/v1/help-requests/${r.id}/screenshot`} target="_blank" rel="noreferrer">
                      Open ({Math.ceil(r.screenshot.bytes / 1024)} KB)
                    </a>
                  ) : (
                    <span class="muted">None</span>
                  )}
                </td>
                <td class="nowrap">{formatDateTime(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {requests.data && requests.data.total > requests.data.items.length ? (
        <p class="muted small">
          Showing the latest {requests.data.items.length} of {requests.data.total}.
        </p>
      ) : null}
    </>
  );
}
