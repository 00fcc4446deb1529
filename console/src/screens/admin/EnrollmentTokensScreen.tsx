import { CreateEnrollmentToken } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { enrollmentApi, type EnrollmentToken } from '../../api/operate';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ListState } from '../../components/Feedback';
import { Checkbox, FormActions, SelectField, TextField } from '../../components/Fields';
import { PageHeader } from '../../components/PageHeader';
import { SecretOnce } from '../../components/SecretOnce';
import { useLoad } from '../../components/use-load';
import { errorFor, issuesToErrors, type FieldErrors } from '../../lib/form-errors';
import { formatDateTime, splitList } from '../../lib/format';
import { showNotice } from '../../stores/notice';

const lifetimes = [
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '604800', label: '7 days' },
  { value: '2592000', label: '30 days' },
  { value: '31536000', label: '1 year' },
];

function stateOf(t: EnrollmentToken, now = Date.now()): string {
  if (t.revoked) return 'revoked';
  if (Date.parse(t.expiresAt) <= now) return 'expired';
  if (t.oneTime && t.uses > 0) return 'used';
  if (t.maxUses !== null && t.uses >= t.maxUses) return 'used up';
  return 'active';
}

/** Enrollment tokens: agents enroll with one and get its tags, which roles scope devices by. Shown once, revocable. */
export function EnrollmentTokensScreen() {
  const tokens = useLoad(() => enrollmentApi.list(), []);
  const [creating, setCreating] = useState(false);
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [oneTime, setOneTime] = useState(true);
  const [lifetime, setLifetime] = useState('604800');
  const [maxUses, setMaxUses] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [revealed, setRevealed] = useState<{ token: string; description: string } | null>(null);

  const create = async (event: Event) => {
    event.preventDefault();
    const parsed = CreateEnrollmentToken.safeParse({
      description: description.trim(),
      tags: splitList(tags),
      oneTime,
      expiresInSec: Number(lifetime),
      ...(oneTime || !maxUses.trim() ? {} : { maxUses: Number(maxUses) }),
    });
    if (!parsed.success) return setErrors(issuesToErrors(parsed.error.issues));
    setErrors({});
    setError(null);
    try {
      const created = await enrollmentApi.create(parsed.data);
      setRevealed({ token: created.token, description: created.description || 'the new token' });
      setCreating(false);
      setDescription('');
      setTags('');
      setMaxUses('');
      tokens.reload();
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async (t: EnrollmentToken) => {
    try {
      await enrollmentApi.revoke(t.id);
      showNotice(`Token ${t.description || t.id.slice(0, 8)} revoked.`);
      tokens.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <PageHeader title="Enrollment tokens" description="An agent enrolls once with a token; its devices get the token's tags, which roles use to scope devices.">
        {!creating ? (
          <button type="button" class="button primary" onClick={() => setCreating(true)}>
            New enrollment token
          </button>
        ) : null}
      </PageHeader>
      {revealed ? (
        <SecretOnce
          label={`Enrollment token for ${revealed.description}`}
          secret={revealed.token}
          extra={[{ label: 'Enroll a device with', value: `fixpoint-agent enroll --server ${window.location.origin} --token <the token>` }]}
          onDone={() => setRevealed(null)}
        />
      ) : null}
      {creating ? (
        <form class="panel narrow" onSubmit={create} aria-labelledby="new-enrollment-title" novalidate>
          <h2 id="new-enrollment-title">New enrollment token</h2>
          <TextField label="Description" value={description} error={errors.description} hint="Where it is used, e.g. Paris office laptops." onInput={setDescription} />
          <TextField label="Tags" value={tags} error={errorFor(errors, 'tags')} hint="Comma-separated, lower case, e.g. site:paris, dept:sales." onInput={setTags} />
          <SelectField label="Valid for" value={lifetime} options={lifetimes} onChange={setLifetime} />
          <Checkbox label="One device only" checked={oneTime} hint="Spent by the first enrollment." onChange={setOneTime} />
          {!oneTime ? (
            <TextField label="Most devices" type="number" inputMode="numeric" value={maxUses} error={errors.maxUses} hint="Leave empty for no limit until it expires." onInput={setMaxUses} />
          ) : null}
          <FormActions submit="Create token" onCancel={() => setCreating(false)} />
        </form>
      ) : null}
      <ListState load={tokens} error={error}>
        <EmptyState title="No enrollment tokens">
          <p>Create a token, then run <code>fixpoint-agent enroll</code> with it on each device. Give it tags so roles can reach those devices.</p>
        </EmptyState>
      </ListState>
      {tokens.data && tokens.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Enrollment tokens</caption>
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col">Tags</th>
              <th scope="col">Uses</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((t) => {
              const state = stateOf(t);
              const name = t.description || `token ${t.id.slice(0, 8)}`;
              return (
                <tr key={t.id}>
                  <th scope="row">{name}</th>
                  <td>{t.tags.join(', ')}</td>
                  <td>
                    {t.uses}
                    {t.oneTime ? ' of 1' : t.maxUses !== null ? ` of ${t.maxUses}` : ''}
                  </td>
                  <td class="nowrap">{formatDateTime(t.expiresAt)}</td>
                  <td>{state}</td>
                  <td>
                    {formatDateTime(t.createdAt)}
                    <div class="muted small">{t.createdBy}</div>
                  </td>
                  <td class="actions">
                    {state === 'active' ? (
                      <ConfirmButton label="Revoke" name={`Revoke ${name}`} question={`Revoke ${name}? Devices can no longer enroll with it.`} onConfirm={() => revoke(t)} />
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
