import { CampaignScheduleInput, formatDateTime } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { campaignsApi, type CampaignWithVersion } from '../../api/campaigns';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage, FormErrors } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Fields';
import { QueryEditor } from '../../components/QueryEditor';
import { SavedQueryField } from '../../components/SavedQueryField';
import { useLoad } from '../../components/use-load';
import { issuesToErrors, type FieldErrors } from '../../lib/form-errors';

export interface CampaignSchedulesProps {
  campaign: CampaignWithVersion;
}

type Mode = 'once' | 'repeat';

/**
 * The standing triggers of a published campaign: a devices query, optionally narrowed to a saved query (a dynamic
 * category, read at each run), sent once per device or again after some days.
 */
export function CampaignSchedules({ campaign }: CampaignSchedulesProps) {
  const schedules = useLoad(() => campaignsApi.schedules(campaign.slug), [campaign.slug]);
  const [query, setQuery] = useState('devices');
  const [savedQuery, setSavedQuery] = useState('');
  const [mode, setMode] = useState<Mode>('once');
  const [days, setDays] = useState('30');
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const parsed = CampaignScheduleInput.safeParse({
      query: query.trim(),
      savedQuery: savedQuery || null,
      mode,
      ...(mode === 'repeat' && { repeatAfterDays: Number(days) }),
      parameters: Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== '')),
    });
    if (!parsed.success) return setErrors(issuesToErrors(parsed.error.issues));
    setErrors({});
    setBusy(true);
    try {
      await campaignsApi.addSchedule(campaign.slug, parsed.data);
      schedules.set(await campaignsApi.schedules(campaign.slug));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    setError(null);
    try {
      await campaignsApi.removeSchedule(campaign.slug, id);
      schedules.set(await campaignsApi.schedules(campaign.slug));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section class="panel" aria-labelledby="campaign-schedules-title">
      <h2 id="campaign-schedules-title">Standing triggers</h2>
      <ErrorMessage error={schedules.error ?? error} title="That did not work" />
      {schedules.data?.items.length ? (
        <table class="table compact" data-testid="campaign-schedules">
          <caption class="visually-hidden">Standing triggers</caption>
          <thead>
            <tr>
              <th scope="col">Devices</th>
              <th scope="col">Saved query</th>
              <th scope="col">Sent</th>
              <th scope="col">Last run</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {schedules.data.items.map((s) => (
              <tr key={s.id}>
                <td>
                  <code>{s.query}</code>
                </td>
                <td>{s.savedQuery?.name ?? 'any'}</td>
                <td>{s.mode === 'once' ? 'once' : `again after ${s.repeatAfterDays} days`}{s.pausedReason ? ` (paused: ${s.pausedReason})` : ''}</td>
                <td>{s.lastRunAt ? formatDateTime(s.lastRunAt) : 'never'}</td>
                <td>
                  <ConfirmButton label="Remove" name={`Remove the trigger on ${s.query}`} question="Remove this standing trigger?" onConfirm={() => remove(s.id)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No standing triggers.</p>
      )}
      <form onSubmit={add} novalidate aria-label="Add a standing trigger">
        <FormErrors errors={errors} />
        <QueryEditor label="Query of the trigger" required value={query} onInput={setQuery} rows={2} hint="A devices query, evaluated at each run (at most once a minute)." />
        <SavedQueryField
          value={savedQuery}
          error={errors.savedQuery}
          hint="A dynamic category: read again at each run, so devices that join it later get the campaign."
          anyLabel="Any (the query alone)"
          onChange={setSavedQuery}
        />
        <SelectField<Mode> label="How often" value={mode} options={[{ value: 'once', label: 'Once per device' }, { value: 'repeat', label: 'Again after some days' }]} onChange={setMode} />
        {mode === 'repeat' ? <TextField label="Again after (days)" inputMode="numeric" value={days} error={errors.repeatAfterDays} onInput={setDays} /> : null}
        {campaign.current.parameters.map((p) => (
          <TextField
            key={p.name}
            label={`Value of ${p.name} at each run`}
            required={p.required && p.default === undefined}
            error={errors[`parameters.${p.name}`]}
            value={values[p.name] ?? ''}
            onInput={(v) => setValues({ ...values, [p.name]: v })}
          />
        ))}
        <div class="form-actions">
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Adding…' : 'Add trigger'}
          </button>
        </div>
      </form>
    </section>
  );
}
