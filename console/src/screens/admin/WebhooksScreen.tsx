import { WebhookInput, webhookEvents, type WebhookEvent } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { webhooksApi } from '../../api/resources';
import { EmptyState, ErrorMessage, ListState } from '../../components/Feedback';
import { CheckboxGroup, FormActions, TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { SecretOnce } from '../../components/SecretOnce';
import { useLoad } from '../../components/use-load';
import { errorFor, issuesToErrors, type FieldErrors } from '../../lib/form-errors';
import { formatDateTime } from '../../lib/format';
import { pathFor } from '../../router/routes';

/** Webhooks: signed POSTs to other systems when executions finish. */
export function WebhooksScreen() {
  const hooks = useLoad(() => webhooksApi.list(), []);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([...webhookEvents]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [revealed, setRevealed] = useState<{ name: string; secret: string } | null>(null);

  const create = async (event: Event) => {
    event.preventDefault();
    const parsed = WebhookInput.safeParse({ name, url: url.trim(), events, enabled: true });
    if (!parsed.success) return setErrors(issuesToErrors(parsed.error.issues));
    setErrors({});
    setError(null);
    try {
      const created = await webhooksApi.create(parsed.data);
      setRevealed({ name: created.name, secret: created.secret });
      setCreating(false);
      setName('');
      setUrl('');
      hooks.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <PageHeader title="Webhooks" description="Fixpoint POSTs a signed JSON event to each URL when an execution ends.">
        {!creating ? (
          <button type="button" class="button primary" onClick={() => setCreating(true)}>
            New webhook
          </button>
        ) : null}
      </PageHeader>
      {revealed ? (
        <SecretOnce
          label={`Signing secret for ${revealed.name}`}
          secret={revealed.secret}
          onDone={() => setRevealed(null)}
        />
      ) : null}
      {creating ? (
        <form class="panel" onSubmit={create} aria-labelledby="new-webhook-title" novalidate>
          <h2 id="new-webhook-title">New webhook</h2>
          <ErrorMessage error={error} title="Could not create the webhook" />
          <div class="grid-2">
            <TextField label="Name" required value={name} error={errors.name} onInput={setName} />
            <TextField label="URL" type="url" required value={url} error={errors.url} hint="http or https; receivers check the X-Fixpoint-Signature header." onInput={setUrl} />
          </div>
          <CheckboxGroup legend="Events" options={webhookEvents} value={events} error={errorFor(errors, 'events')} onChange={setEvents} />
          <FormActions submit="Create webhook" onCancel={() => setCreating(false)} />
        </form>
      ) : null}
      <ListState load={hooks}>
        <EmptyState title="No webhooks">
          <p>Add one to tell a ticketing system or chat channel when executions succeed, fail or time out.</p>
        </EmptyState>
      </ListState>
      {hooks.data && hooks.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {hooks.data.items.map((h) => (
              <tr key={h.id}>
                <th scope="row">
                  <Link href={pathFor('webhook', { id: h.id })}>{h.name}</Link>
                </th>
                <td class="wrap">
                  <code>{h.url}</code>
                </td>
                <td>{h.events.length === webhookEvents.length ? 'all executions' : h.events.join(', ')}</td>
                <td>{h.enabled ? 'enabled' : 'paused'}</td>
                <td>{formatDateTime(h.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
