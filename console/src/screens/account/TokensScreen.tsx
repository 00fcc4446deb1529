import { CreateToken, permissions, type Permission } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { tokensApi, type CredentialsEndedT, type MeT } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CreateForm } from '../../components/CreateForm';
import { EmptyState } from '../../components/Feedback';
import { CheckboxGroup, SelectField, TextField } from '../../components/Fields';
import { PageHeader } from '../../components/PageHeader';
import { PasswordForm } from '../../components/PasswordForm';
import { ResourceTable } from '../../components/ResourceTable';
import { SecretOnce, type Secret } from '../../components/SecretOnce';
import { useAction } from '../../components/use-action';
import { useLoad } from '../../components/use-load';
import { errorFor } from '../../lib/form-errors';
import { formatDateTime } from '@fixpoint/protocol';
import { showNotice } from '../../stores/notice';

export interface TokensScreenProps {
  me: MeT;
}

const lifetimes = [
  { value: String(24 * 3600), label: '1 day' },
  { value: String(7 * 24 * 3600), label: '7 days' },
  { value: String(30 * 24 * 3600), label: '30 days' },
  { value: String(90 * 24 * 3600), label: '90 days' },
  { value: String(365 * 24 * 3600), label: '1 year' },
];

/** The caller's personal access tokens, for scripts and the browser extension; each can be narrowed to some permissions. */
export function TokensScreen({ me }: TokensScreenProps) {
  const tokens = useLoad(() => tokensApi.list(), []);
  const action = useAction(tokens.reload);
  // An admin holds every permission; others may narrow to the ones they have.
  const own: readonly Permission[] = me.permissions.includes('admin') ? permissions : me.permissions;
  const [revealed, setRevealed] = useState<Secret | null>(null);
  const passwordChanged = (ended: CredentialsEndedT) => {
    showNotice(`Password changed. Ended ${ended.sessionsEnded} other session(s) and revoked ${ended.tokensRevoked} token(s).`);
    tokens.reload();
  };
  return (
    <>
      <PageHeader title="My access tokens" description="Bearer tokens that act as you, for scripts and tools. Revoke any you no longer use." />
      <SecretOnce secret={revealed} onDone={() => setRevealed(null)} />
      <CreateForm
        title="New token"
        submit="Create token"
        initial={{ name: '', lifetime: lifetimes[2]!.value, narrow: [] as Permission[] }}
        schema={CreateToken}
        toInput={(f) => ({ name: f.name.trim(), expiresInSec: Number(f.lifetime), ...(f.narrow.length ? { permissions: f.narrow } : {}) })}
        onSubmit={async (input) => {
          const t = await tokensApi.create(input);
          setRevealed({ label: `Token ${t.name}`, value: t.token });
          tokens.reload();
        }}
      >
        {({ values, set, errors }) => (
          <>
            <div class="grid-2">
              <TextField label="Name" required value={values.name} error={errors.name} hint="What will use it, e.g. inventory script." onInput={(name) => set({ name })} />
              <SelectField label="Expires after" value={values.lifetime} options={lifetimes} onChange={(lifetime) => set({ lifetime })} />
            </div>
            <CheckboxGroup
              legend="Limit to these permissions"
              hint="Leave all unchecked for every permission you have."
              options={own}
              value={values.narrow}
              error={errorFor(errors, 'permissions')}
              onChange={(narrow) => set({ narrow })}
            />
          </>
        )}
      </CreateForm>
      <ResourceTable
        load={tokens}
        error={action.error}
        caption="Active tokens"
        showCaption
        columns={['Name', 'Starts with', 'Permissions', 'Expires', 'Last used']}
        actions
        empty={<EmptyState title="No tokens">You have no active tokens. Create one above when a script or tool needs to act as you.</EmptyState>}
        row={(t) => (
          <tr key={t.id}>
            <th scope="row">{t.name}</th>
            <td>
              <code>{t.prefix}…</code>
            </td>
            <td>{t.permissions ? t.permissions.join(', ') : 'all of yours'}</td>
            <td>{formatDateTime(t.expiresAt)}</td>
            <td>{formatDateTime(t.lastUsedAt) || 'never'}</td>
            <td class="actions">
              <ConfirmButton
                label="Revoke"
                name={`Revoke ${t.name}`}
                question={`Revoke ${t.name}?`}
                onConfirm={() => action.run(() => tokensApi.revoke(t.id), `Token ${t.name} revoked.`)}
              />
            </td>
          </tr>
        )}
      />
      <section class="panel" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <p class="hint">Changing it signs you out everywhere else and revokes every token above.</p>
        <PasswordForm submitLabel="Change password" onChanged={passwordChanged} />
      </section>
    </>
  );
}
