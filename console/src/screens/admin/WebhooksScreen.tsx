import { WebhookInput, webhookEvents, type WebhookEvent } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { webhooksApi } from '../../api/resources';
import { CreateForm, CreateHeader } from '../../components/CreateForm';
import { EmptyState } from '../../components/Feedback';
import { CheckboxGroup, TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { ResourceTable } from '../../components/ResourceTable';
import { SecretOnce, type Secret } from '../../components/SecretOnce';
import { useLoad } from '../../components/use-load';
import { errorFor } from '../../lib/form-errors';
import { formatDateTime } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';

/** Webhooks: signed POSTs to other systems when executions finish. */
export function WebhooksScreen() {
  const hooks = useLoad(() => webhooksApi.list(), []);
  const [revealed, setRevealed] = useState<Secret | null>(null);

  return (
    <>
      <CreateHeader
        title="Webhooks"
        description="Fixpoint POSTs a signed JSON event to each URL when an execution ends."
        newLabel="New webhook"
        form={(close) => (
          <CreateForm
            title="New webhook"
            submit="Create webhook"
            errorTitle="Could not create the webhook"
            initial={{ name: '', url: '', events: [...webhookEvents] as WebhookEvent[] }}
            schema={WebhookInput}
            toInput={(f) => ({ ...f, url: f.url.trim(), enabled: true })}
            onSubmit={async (input) => {
              const created = await webhooksApi.create(input);
              setRevealed({ label: `Signing secret for ${created.name}`, value: created.secret });
              hooks.reload();
            }}
            onClose={close}
          >
            {({ values, set, errors }) => (
              <>
                <div class="grid-2">
                  <TextField label="Name" required value={values.name} error={errors.name} onInput={(name) => set({ name })} />
                  <TextField
                    label="URL"
                    type="url"
                    required
                    value={values.url}
                    error={errors.url}
                    hint="http or https; receivers check the X-Fixpoint-Signature header."
                    onInput={(url) => set({ url })}
                  />
                </div>
                <CheckboxGroup legend="Events" options={webhookEvents} value={values.events} error={errorFor(errors, 'events')} onChange={(events) => set({ events })} />
              </>
            )}
          </CreateForm>
        )}
      />
      <SecretOnce secret={revealed} onDone={() => setRevealed(null)} />
      <ResourceTable
        load={hooks}
        caption="Webhooks"
        columns={['Name', 'URL', 'Events', 'Status', 'Created']}
        empty={
          <EmptyState title="No webhooks">
            <p>Add one to tell a ticketing system or chat channel when executions succeed, fail or time out.</p>
          </EmptyState>
        }
        row={(h) => (
          <tr key={h.id}>
            <th scope="row">
              <Link href={pathFor('webhook', { id: h.id })}>{h.name}</Link>
            </th>
            <td class="wrap">
              <code>{h.url}</code>
            </td>
            <td>{h.events.length === webhookEvents.length ? 'all events' : h.events.join(', ')}</td>
            <td>{h.enabled ? 'enabled' : 'paused'}</td>
            <td>{formatDateTime(h.createdAt)}</td>
          </tr>
        )}
      />
    </>
  );
}
