import { TriggerCampaign } from '@fixpoint/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { campaignsApi, type CampaignWithVersion, type TriggerResult } from '../../api/campaigns';
import { ErrorMessage, FormErrors } from '../../components/Feedback';
import { FormActions, TextAreaField, TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { QueryEditor, type PositionedError } from '../../components/QueryEditor';
import { issuesToErrors, type FieldErrors } from '../../lib/form-errors';
import { splitList } from '../../lib/format';
import { pathFor } from '../../router/routes';
import { selectDevices } from '../../stores/device-query';

export interface TriggerDialogProps {
  campaign: CampaignWithVersion;
  onClose: () => void;
  /** Called after requests were queued, e.g. to read the results again. */
  onSent?: () => void;
}

const outcomeLabels: Record<string, string> = {
  queued: 'Queued',
  waiting_for_user: 'Queued: nobody is logged in; shown at the next login',
  already_pending: 'Already waiting for an answer',
  not_found: 'Not found',
  out_of_scope: 'Outside your device scope',
};

/** Sends the published version to the devices a query selects and to named users, then shows what happened per target. */
export function TriggerDialog({ campaign, onClose, onSent }: TriggerDialogProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [query, setQuery] = useState('');
  const [queryError, setQueryError] = useState<PositionedError | null>(null);
  const [users, setUsers] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [expiryHours, setExpiryHours] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TriggerResult | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => heading.current?.focus(), []);
  const parameters = campaign.current.parameters;

  const send = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setQueryError(null);
    setBusy(true);
    try {
      let devices: string[] = [];
      if (query.trim()) {
        const selection = await selectDevices(query.trim());
        if (!selection.ok) {
          setQueryError(selection.error);
          setError(selection.failure);
          return;
        }
        devices = selection.ids;
        setNames(selection.nameOf);
      }
      const input = {
        devices,
        users: splitList(users),
        parameters: Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== '')),
        ...(expiryHours.trim() ? { expirySec: Math.round(Number(expiryHours.replace(',', '.')) * 3600) } : {}),
      };
      const parsed = TriggerCampaign.safeParse(input);
      if (!parsed.success) return setErrors(issuesToErrors(parsed.error.issues));
      setErrors({});
      const sent = await campaignsApi.trigger(campaign.slug, parsed.data);
      setResult(sent);
      if (sent.queued) onSent?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="trigger-title">
      <h2 id="trigger-title" tabIndex={-1} ref={heading}>
        Send version {campaign.publishedVersion} of {campaign.name}
      </h2>
      {result ? (
        <>
          <p role="status">
            {result.queued} {result.queued === 1 ? 'request' : 'requests'} queued; unanswered ones expire {new Date(result.expiresAt).toLocaleString()}.
          </p>
          <table class="table compact" data-testid="trigger-results">
            <caption class="visually-hidden">Result per target</caption>
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Devices</th>
              </tr>
            </thead>
            <tbody>
              {result.results.map((r) => (
                <tr key={`${r.target.kind}:${r.target.value}`}>
                  <th scope="row">
                    {r.target.kind === 'device' ? <Link href={pathFor('device', { id: r.target.value })}>{names[r.target.value] ?? `device ${r.target.value.slice(0, 8)}`}</Link> : `user ${r.target.value}`}
                  </th>
                  <td>{outcomeLabels[r.outcome] ?? r.outcome}</td>
                  <td>{r.requests.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="form-actions">
            <button type="button" class="button" onClick={() => setResult(null)}>
              Send again
            </button>
            <button type="button" class="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={send} novalidate>
          <ErrorMessage error={error} title="Could not send" />
          <FormErrors errors={errors} />
          <QueryEditor
            label="Devices"
            value={query}
            onInput={setQuery}
            error={queryError}
            rows={2}
            placeholder='devices | where tags contains "site:paris"'
            hint="A devices query; every device it selects gets the campaign. Leave empty to send to users only."
          />
          <TextAreaField label="Users" value={users} rows={2} hint="One per line or comma-separated, as the agent reports them (DOMAIN\\ana or ana); reached on devices they are logged in to." onInput={setUsers} />
          {parameters.map((p) => (
            <TextField
              key={p.name}
              label={`Parameter ${p.name}`}
              required={p.required && p.default === undefined}
              hint={[p.description, p.default !== undefined ? `Default: ${p.default}` : ''].filter(Boolean).join(' ') || undefined}
              error={errors[`parameters.${p.name}`]}
              value={values[p.name] ?? ''}
              onInput={(v) => setValues({ ...values, [p.name]: v })}
            />
          ))}
          <TextField label="Expires after (hours)" inputMode="decimal" value={expiryHours} error={errors.expirySec} hint="Leave empty for the campaign's own expiry." onInput={setExpiryHours} />
          <FormActions submit={busy ? 'Sending…' : 'Send'} disabled={busy} onCancel={onClose} />
        </form>
      )}
    </section>
  );
}
