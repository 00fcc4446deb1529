import { ApiClientInput } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { apiClientsApi, rolesApi, type ApiClientT } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ListState } from '../../components/Feedback';
import { CheckboxGroup, FormActions, TextField } from '../../components/Fields';
import { PageHeader } from '../../components/PageHeader';
import { SecretOnce } from '../../components/SecretOnce';
import { useLoad } from '../../components/use-load';
import { errorFor, issuesToErrors, type FieldErrors } from '../../lib/form-errors';
import { formatDateTime } from '../../lib/format';
import { showNotice } from '../../stores/notice';

interface Revealed {
  name: string;
  clientId: string;
  secret: string;
}

/** OAuth2 client-credentials clients for portals and ticketing systems; the secret is shown once. */
export function ApiClientsScreen() {
  const clients = useLoad(() => apiClientsApi.list(), []);
  const roles = useLoad(() => rolesApi.list(), []);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [revealed, setRevealed] = useState<Revealed | null>(null);

  const create = async (event: Event) => {
    event.preventDefault();
    const parsed = ApiClientInput.safeParse({ name: name.trim(), roles: chosen });
    if (!parsed.success) return setErrors(issuesToErrors(parsed.error.issues));
    setErrors({});
    try {
      const c = await apiClientsApi.create(parsed.data);
      setRevealed({ name: c.name, clientId: c.clientId, secret: c.clientSecret });
      setCreating(false);
      setName('');
      setChosen([]);
      clients.reload();
    } catch (e) {
      setError(e);
    }
  };
  const act = async (fn: () => Promise<unknown>) => {
    try {
      setError(null);
      await fn();
      clients.reload();
    } catch (e) {
      setError(e);
    }
  };
  const rotate = (c: ApiClientT) =>
    act(async () => {
      const r = await apiClientsApi.rotate(c.id);
      setRevealed({ name: r.name, clientId: r.clientId, secret: r.clientSecret });
    });

  return (
    <>
      <PageHeader title="API clients" description="Third-party systems get short-lived tokens from POST /api/v1/oauth/token with a client id and secret.">
        {!creating ? (
          <button type="button" class="button primary" onClick={() => setCreating(true)}>
            New API client
          </button>
        ) : null}
      </PageHeader>
      {revealed ? (
        <SecretOnce
          label={`Client secret for ${revealed.name}`}
          secret={revealed.secret}
          extra={[{ label: 'Client id', value: revealed.clientId }]}
          onDone={() => setRevealed(null)}
        />
      ) : null}
      {creating ? (
        <form class="panel" onSubmit={create} aria-labelledby="new-client-title" novalidate>
          <h2 id="new-client-title">New API client</h2>
          <TextField label="Name" required value={name} error={errors.name} hint="The system that will use it, e.g. ServiceNow." onInput={setName} />
          <CheckboxGroup
            legend="Roles"
            options={(roles.data?.items ?? []).map((r) => ({ value: r.name, label: r.name, hint: r.description }))}
            value={chosen}
            error={errorFor(errors, 'roles')}
            onChange={setChosen}
          />
          <FormActions submit="Create client" onCancel={() => setCreating(false)} />
        </form>
      ) : null}
      <ListState load={clients} error={error}>
        <EmptyState title="No API clients">
          <p>Create one for each system that launches actions or reads results through the API, with the roles it needs.</p>
        </EmptyState>
      </ListState>
      {clients.data && clients.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">API clients</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client id</th>
              <th scope="col">Roles</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {clients.data.items.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                <td>
                  <code>{c.clientId}</code>
                </td>
                <td>{c.roles.join(', ')}</td>
                <td>{formatDateTime(c.createdAt)}</td>
                <td class="actions">
                  <ConfirmButton
                    label="Rotate secret"
                    name={`Rotate secret of ${c.name}`}
                    question={`Issue a new secret for ${c.name}? The old one stops working.`}
                    danger={false}
                    onConfirm={() => rotate(c)}
                  />
                  <ConfirmButton
                    label="Delete"
                    name={`Delete ${c.name}`}
                    question={`Delete ${c.name}?`}
                    onConfirm={() => act(() => apiClientsApi.remove(c.id).then(() => showNotice(`API client ${c.name} deleted.`)))}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
