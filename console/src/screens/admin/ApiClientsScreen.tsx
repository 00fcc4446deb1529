import { ApiClientInput } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { apiClientsApi, rolesApi } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CreateForm, CreateHeader } from '../../components/CreateForm';
import { EmptyState } from '../../components/Feedback';
import { CheckboxGroup, TextField } from '../../components/Fields';
import { ResourceTable } from '../../components/ResourceTable';
import { SecretOnce, type Secret } from '../../components/SecretOnce';
import { useAction } from '../../components/use-action';
import { useLoad } from '../../components/use-load';
import { errorFor } from '../../lib/form-errors';
import { formatDateTime } from '@fixpoint/protocol';

function clientSecret(c: { name: string; clientId: string; clientSecret: string }): Secret {
  return { label: `Client secret for ${c.name}`, value: c.clientSecret, extra: [{ label: 'Client id', value: c.clientId }] };
}

/** OAuth2 client-credentials clients for portals and ticketing systems; the secret is shown once. */
export function ApiClientsScreen() {
  const clients = useLoad(() => apiClientsApi.list(), []);
  const roles = useLoad(() => rolesApi.list(), []);
  const action = useAction(clients.reload);
  const [revealed, setRevealed] = useState<Secret | null>(null);
  return (
    <>
      <CreateHeader
        title="API clients"
        description="Third-party systems get short-lived tokens from POST /api/v1/oauth/token with a client id and secret."
        newLabel="New API client"
        form={(close) => (
          <CreateForm
            title="New API client"
            submit="Create client"
            initial={{ name: '', roles: [] as string[] }}
            schema={ApiClientInput}
            toInput={(f) => ({ name: f.name.trim(), roles: f.roles })}
            onSubmit={async (input) => {
              setRevealed(clientSecret(await apiClientsApi.create(input)));
              clients.reload();
            }}
            onClose={close}
          >
            {({ values, set, errors }) => (
              <>
                <TextField label="Name" required value={values.name} error={errors.name} hint="The system that will use it, e.g. ServiceNow." onInput={(name) => set({ name })} />
                <CheckboxGroup
                  legend="Roles"
                  options={(roles.data?.items ?? []).map((r) => ({ value: r.name, label: r.name, hint: r.description }))}
                  value={values.roles}
                  error={errorFor(errors, 'roles')}
                  onChange={(chosen) => set({ roles: chosen })}
                />
              </>
            )}
          </CreateForm>
        )}
      />
      <SecretOnce secret={revealed} onDone={() => setRevealed(null)} />
      <ResourceTable
        load={clients}
        error={action.error}
        caption="API clients"
        columns={['Name', 'Client id', 'Roles', 'Created']}
        actions
        empty={
          <EmptyState title="No API clients">
            <p>Create one for each system that launches actions or reads results through the API, with the roles it needs.</p>
          </EmptyState>
        }
        row={(c) => (
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
                onConfirm={() => action.run(async () => setRevealed(clientSecret(await apiClientsApi.rotate(c.id))))}
              />
              <ConfirmButton
                label="Delete"
                name={`Delete ${c.name}`}
                question={`Delete ${c.name}?`}
                onConfirm={() => action.run(() => apiClientsApi.remove(c.id), `API client ${c.name} deleted.`)}
              />
            </td>
          </tr>
        )}
      />
    </>
  );
}
