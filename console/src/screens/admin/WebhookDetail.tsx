import { webhookEvents, type WebhookDeliveryStatus, type WebhookEvent } from '@fixpoint/protocol';
import { useEffect, useState } from 'preact/hooks';
import { webhooksApi, type Webhook } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { Checkbox, CheckboxGroup, SelectField, TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { ResourceTable } from '../../components/ResourceTable';
import { SecretOnce, type Secret } from '../../components/SecretOnce';
import { useAction } from '../../components/use-action';
import { useLoad } from '../../components/use-load';
import { formatDateTime } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';
import { navigate } from '../../stores/router';
import { showNotice } from '../../stores/notice';

export interface WebhookDetailProps {
  id: string;
}

/** One webhook: its settings, test ping, secret rotation, and the delivery history with redelivery. */
export function WebhookDetail({ id }: WebhookDetailProps) {
  const hook = useLoad(() => webhooksApi.get(id), [id]);
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const deliveries = useLoad(() => webhooksApi.deliveries(id, { status: status || undefined }), [id, status]);
  const [form, setForm] = useState<Pick<Webhook, 'name' | 'url' | 'enabled'> & { events: WebhookEvent[] }>({ name: '', url: '', enabled: true, events: [] });
  const { error, run } = useAction();
  const [secret, setSecret] = useState<Secret | null>(null);
  useEffect(() => {
    if (hook.data) setForm({ name: hook.data.name, url: hook.data.url, enabled: hook.data.enabled, events: hook.data.events });
  }, [hook.data]);

  const save = (event: Event) => {
    event.preventDefault();
    void run(async () => hook.set(await webhooksApi.update(id, form)), 'Webhook saved.');
  };

  if (hook.error) return <ErrorMessage error={hook.error} title="Could not load the webhook" />;
  if (!hook.data) return <Loading />;
  const h = hook.data;
  return (
    <>
      <PageHeader title={`Webhook ${h.name}`} description={<code>{h.url}</code>}>
        <button
          type="button"
          class="button"
          onClick={() =>
            run(async () => {
              await webhooksApi.test(id);
              showNotice('Test delivery queued; it appears below in a moment.', 'info');
              deliveries.reload();
            })
          }
        >
          Send test
        </button>
        <ConfirmButton
          label="Rotate secret"
          question="Replace the signing secret? Receivers must switch to the new one."
          danger={false}
          small={false}
          onConfirm={() => run(async () => setSecret({ label: `New signing secret for ${h.name}`, value: (await webhooksApi.rotate(id)).secret }))}
        />
        <ConfirmButton
          label="Delete"
          question={`Delete webhook ${h.name} and its delivery history?`}
          small={false}
          onConfirm={() =>
            run(async () => {
              await webhooksApi.remove(id);
              showNotice(`Webhook ${h.name} deleted.`, 'success', pathFor('webhooks'));
              navigate(pathFor('webhooks'));
            })
          }
        />
      </PageHeader>
      <ErrorMessage error={error} />
      <SecretOnce secret={secret} onDone={() => setSecret(null)} />
      <form class="panel" onSubmit={save} aria-labelledby="webhook-settings">
        <h2 id="webhook-settings">Settings</h2>
        <div class="grid-2">
          <TextField label="Name" value={form.name} onInput={(name) => setForm({ ...form, name })} />
          <TextField label="URL" type="url" value={form.url} onInput={(url) => setForm({ ...form, url })} />
        </div>
        <CheckboxGroup legend="Events" options={webhookEvents} value={form.events} onChange={(events) => setForm({ ...form, events })} />
        <Checkbox label="Enabled" checked={form.enabled} onChange={(enabled) => setForm({ ...form, enabled })} />
        <div class="form-actions">
          <button type="submit" class="button primary">
            Save webhook
          </button>
          <Link class="button" href={pathFor('webhooks')}>
            Back to webhooks
          </Link>
        </div>
      </form>
      <section class="panel" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Deliveries</h2>
        <div class="filters">
          <SelectField
            label="Status"
            value={status}
            options={[{ value: '', label: 'Any status' }, 'pending', 'delivered', 'failed']}
            onChange={(v) => setStatus(v as WebhookDeliveryStatus | '')}
          />
          <button type="button" class="button" onClick={deliveries.reload}>
            Refresh
          </button>
        </div>
        <ResourceTable
          load={deliveries}
          caption="Deliveries"
          columns={['Event', 'Status', 'Attempts', 'Last answer', 'Created']}
          actions
          empty={<EmptyState title="No deliveries yet">Deliveries appear when executions end. Use “Send test” to check the receiver now.</EmptyState>}
          row={(d) => (
            <tr key={d.id}>
              <th scope="row">{d.event}</th>
              <td>
                <span class={`status status-${d.status}`}>{d.status}</span>
              </td>
              <td>{d.attempts}</td>
              <td class="wrap">{d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '')}</td>
              <td>{formatDateTime(d.createdAt)}</td>
              <td class="actions">
                {d.status !== 'pending' ? (
                  <button
                    type="button"
                    class="button small"
                    onClick={() =>
                      run(async () => {
                        await webhooksApi.redeliver(id, d.id);
                        showNotice('Redelivery queued.', 'info');
                        deliveries.reload();
                      })
                    }
                  >
                    Redeliver<span class="visually-hidden"> {d.event} from {formatDateTime(d.createdAt)}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          )}
        />
      </section>
    </>
  );
}
