import { formatDateTime } from '@fixpoint/protocol';
import { actionsApi } from '../../api/resources';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { useLoad } from '../../components/use-load';

export interface SelfServiceUseProps {
  slug: string;
}

/** How users ran an action themselves from the tray in the last 30 days: counts, then each run (device, user, result). */
export function SelfServiceUse({ slug }: SelfServiceUseProps) {
  const usage = useLoad(() => actionsApi.selfServiceUsage(slug), [slug]);
  return (
    <section class="panel" aria-labelledby="self-service-use-title">
      <h2 id="self-service-use-title">Self-service use</h2>
      {usage.error ? <ErrorMessage error={usage.error} title="Could not load the self-service use" /> : null}
      {!usage.data && !usage.error ? <Loading /> : null}
      {usage.data ? (
        <>
          <p>
            {usage.data.last24h} runs in the last 24 hours, {usage.data.last30d} in the last 30 days, by {usage.data.users} {usage.data.users === 1 ? 'user' : 'users'}.
          </p>
          {usage.data.items.length ? (
            <table class="table">
              <caption class="visually-hidden">Self-service runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">User</th>
                  <th scope="col">Device</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {usage.data.items.map((u) => (
                  <tr key={u.executionId}>
                    <td>{formatDateTime(u.createdAt)}</td>
                    <td>{u.user}</td>
                    <td>{u.deviceName ?? u.deviceId}</td>
                    <td>{u.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <EmptyState title="No self-service runs">No one ran it from the tray in the last 30 days.</EmptyState>
          )}
        </>
      ) : null}
    </section>
  );
}
