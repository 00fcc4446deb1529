import { permissions, type Permission } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { tokensApi, type CredentialsEndedT, type MeT } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ErrorMessage, ListState } from '../../components/Feedback';
import { CheckboxGroup, SelectField, TextField } from '../../components/Fields';
import { PageHeader } from '../../components/PageHeader';
import { PasswordForm } from '../../components/PasswordForm';
import { SecretOnce } from '../../components/SecretOnce';
import { useLoad } from '../../components/use-load';
import { formatDateTime } from '../../lib/format';
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
  const [name, setName] = useState('');
  const [lifetime, setLifetime] = useState(lifetimes[2]!.value);
  // An admin holds every permission; others may narrow to the ones they have.
  const own: readonly Permission[] = me.permissions.includes('admin') ? permissions : me.permissions;
  const [narrow, setNarrow] = useState<Permission[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [revealed, setRevealed] = useState<{ name: string; token: string } | null>(null);

  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const t = await tokensApi.create({ name: name.trim(), expiresInSec: Number(lifetime), ...(narrow.length ? { permissions: narrow } : {}) });
      setRevealed({ name: t.name, token: t.token });
      setName('');
      setNarrow([]);
      tokens.reload();
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async (id: string, tokenName: string) => {
    try {
      await tokensApi.revoke(id);
      showNotice(`Token ${tokenName} revoked.`);
      tokens.reload();
    } catch (e) {
      setError(e);
    }
  };
  const passwordChanged = (ended: CredentialsEndedT) => {
    showNotice(`Password changed. Ended ${ended.sessionsEnded} other session(s) and revoked ${ended.tokensRevoked} token(s).`);
    tokens.reload();
  };
  return (
    <>
      <PageHeader title="My access tokens" description="Bearer tokens that act as you, for scripts and tools. Revoke any you no longer use." />
      {revealed ? <SecretOnce label={`Token ${revealed.name}`} secret={revealed.token} onDone={() => setRevealed(null)} /> : null}
      <form class="panel" onSubmit={create} aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <ErrorMessage error={error} />
        <div class="grid-2">
          <TextField label="Name" required value={name} hint="What will use it, e.g. inventory script." onInput={setName} />
          <SelectField label="Expires after" value={lifetime} options={lifetimes} onChange={setLifetime} />
        </div>
        <CheckboxGroup
          legend="Limit to these permissions"
          hint="Leave all unchecked for every permission you have."
          options={own}
          value={narrow}
          onChange={setNarrow}
        />
        <button type="submit" class="button primary">
          Create token
        </button>
      </form>
      <ListState load={tokens}>
        <EmptyState title="No tokens">You have no active tokens. Create one above when a script or tool needs to act as you.</EmptyState>
      </ListState>
      {tokens.data && tokens.data.items.length > 0 ? (
        <table class="table">
          <caption>Active tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Permissions</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.permissions ? t.permissions.join(', ') : 'all of yours'}</td>
                <td>{formatDateTime(t.expiresAt)}</td>
                <td>{formatDateTime(t.lastUsedAt) || 'never'}</td>
                <td class="actions">
                  <ConfirmButton label="Revoke" name={`Revoke ${t.name}`} question={`Revoke ${t.name}?`} onConfirm={() => revoke(t.id, t.name)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <section class="panel" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <p class="hint">Changing it signs you out everywhere else and revokes every token above.</p>
        <PasswordForm submitLabel="Change password" onChanged={passwordChanged} />
      </section>
    </>
  );
}
