import { CreateEnrollmentToken } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { enrollmentApi, type EnrollmentToken } from '../../api/operate';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CreateForm, CreateHeader } from '../../components/CreateForm';
import { EmptyState } from '../../components/Feedback';
import { Checkbox, SelectField, TextField } from '../../components/Fields';
import { ResourceTable } from '../../components/ResourceTable';
import { SecretOnce, type Secret } from '../../components/SecretOnce';
import { useAction } from '../../components/use-action';
import { useLoad } from '../../components/use-load';
import { errorFor } from '../../lib/form-errors';
import { splitList } from '../../lib/format';
import { formatDateTime } from '@fixpoint/protocol';
import { LabelName } from '../../components/LabelName';

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
  const action = useAction(tokens.reload);
  const [revealed, setRevealed] = useState<Secret | null>(null);
  return (
    <>
      <CreateHeader
        title="Enrollment tokens"
        description="An agent enrolls once with a token; its devices get the token's tags, which roles use to scope devices."
        newLabel="New enrollment token"
        form={(close) => (
          <CreateForm
            title="New enrollment token"
            submit="Create token"
            narrow
            initial={{ description: '', tags: '', oneTime: true, lifetime: '604800', maxUses: '' }}
            schema={CreateEnrollmentToken}
            toInput={(f) => ({
              description: f.description.trim(),
              tags: splitList(f.tags),
              oneTime: f.oneTime,
              expiresInSec: Number(f.lifetime),
              ...(f.oneTime || !f.maxUses.trim() ? {} : { maxUses: Number(f.maxUses) }),
            })}
            onSubmit={async (input) => {
              const created = await enrollmentApi.create(input);
              setRevealed({
                label: `Enrollment token for ${created.description || 'the new token'}`,
                value: created.token,
                extra: [{ label: 'Enroll a device with', value: `fixpoint-agent enroll --server ${window.location.origin} --token <the token>` }],
              });
              tokens.reload();
            }}
            onClose={close}
          >
            {({ values, set, errors }) => (
              <>
                <TextField
                  label="Description"
                  value={values.description}
                  error={errors.description}
                  hint="Where it is used, e.g. Paris office laptops."
                  onInput={(description) => set({ description })}
                />
                <TextField
                  label="Tags"
                  value={values.tags}
                  error={errorFor(errors, 'tags')}
                  hint="Comma-separated, lower case, e.g. site:paris, dept:sales."
                  onInput={(tags) => set({ tags })}
                />
                <SelectField label="Valid for" value={values.lifetime} options={lifetimes} onChange={(lifetime) => set({ lifetime })} />
                <Checkbox label="One device only" checked={values.oneTime} hint="Spent by the first enrollment." onChange={(oneTime) => set({ oneTime })} />
                {!values.oneTime ? (
                  <TextField
                    label="Most devices"
                    type="number"
                    inputMode="numeric"
                    value={values.maxUses}
                    error={errors.maxUses}
                    hint="Leave empty for no limit until it expires."
                    onInput={(maxUses) => set({ maxUses })}
                  />
                ) : null}
              </>
            )}
          </CreateForm>
        )}
      />
      <SecretOnce secret={revealed} onDone={() => setRevealed(null)} />
      <ResourceTable
        load={tokens}
        error={action.error}
        caption="Enrollment tokens"
        columns={['Description', 'Tags', 'Uses', 'Expires', 'State', 'Created']}
        actions
        empty={
          <EmptyState title="No enrollment tokens">
            <p>Create a token, then run <code>fixpoint-agent enroll</code> with it on each device. Give it tags so roles can reach those devices.</p>
          </EmptyState>
        }
        row={(t) => {
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
                <div class="muted small">
                  <LabelName label={t.createdBy} />
                </div>
              </td>
              <td class="actions">
                {state === 'active' ? (
                  <ConfirmButton
                    label="Revoke"
                    name={`Revoke ${name}`}
                    question={`Revoke ${name}? Devices can no longer enroll with it.`}
                    onConfirm={() => action.run(() => enrollmentApi.revoke(t.id), `Token ${t.description || t.id.slice(0, 8)} revoked.`)}
                  />
                ) : null}
              </td>
            </tr>
          );
        }}
      />
    </>
  );
}
