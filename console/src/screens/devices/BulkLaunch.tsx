import { allowsTrigger, confirmationCount, confirmsCount, selectRunnableActions } from '@fixpoint/launcher';
import { initialValues, validateForm, type FormValues } from '@fixpoint/launcher';
import { useEffect, useRef, useState } from 'preact/hooks';
import { executionsApi } from '../../api/operate';
import { actionsApi, type ActionWithVersion, type MeT } from '../../api/resources';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { FormActions, SelectField, TextField } from '../../components/Fields';
import { ParameterFields } from '../../components/ParameterFields';
import { useLoad } from '../../components/use-load';
import { pathFor } from '../../router/routes';
import { showNotice } from '../../stores/notice';
import { navigate } from '../../stores/router';
import type { LinkPreset } from '../../lib/selection';

export interface BulkLaunchProps {
  me: MeT;
  deviceIds: string[];
  onCancel: () => void;
  /** An action and values from a link, filled in; the user still presses Launch. */
  preset?: LinkPreset | null;
}

/** Launches one action on the chosen devices of a query result, then opens the launch's live progress. */
export function BulkLaunch({ me, deviceIds, onCancel, preset }: BulkLaunchProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const actions = useLoad(async () => selectRunnableActions((await actionsApi.list({ limit: 500 })).items, me), [me.id]);
  const [slug, setSlug] = useState(preset?.action ?? '');
  const [action, setAction] = useState<ActionWithVersion | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Above the rollout threshold the API asks for the device count: the user types it before launching again.
  const [confirmCount, setConfirmCount] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    setAction(null);
    setErrors({});
    if (!slug) return;
    let live = true;
    actionsApi.get(slug).then((a) => {
      if (!live) return;
      setAction(a);
      const values = initialValues(a.current.parameters);
      // a link's values, except secrets (never taken from a URL)
      if (preset?.action === a.slug)
        for (const p of a.current.parameters) {
          const given = preset.parameters[p.name];
          if (given !== undefined && !p.secret) values[p.name] = p.type === 'bool' ? given === 'true' : given;
        }
      setValues(values);
    }, setError);
    return () => {
      live = false;
    };
  }, [slug]);

  const launch = async (event: Event) => {
    event.preventDefault();
    if (!action) return;
    const check = validateForm(action.current.parameters, values);
    if (!check.ok) return setErrors(check.errors);
    if (confirmCount !== null && !confirmsCount(typed, confirmCount)) return setErrors({ ...errors, confirm: `Type ${confirmCount} to confirm.` });
    setBusy(true);
    setError(null);
    try {
      const res = await executionsApi.launch({
        action: action.slug, devices: deviceIds, parameters: check.values, trigger: 'manual',
        ...(confirmCount !== null && { confirmDeviceCount: confirmCount }),
      });
      const to = pathFor('request', { id: res.requestId });
      showNotice(`${action.name} launched on ${res.executions.length} ${res.executions.length === 1 ? 'device' : 'devices'}.`, 'success', to);
      navigate(to);
    } catch (e) {
      const asked = confirmationCount(e);
      if (asked !== null && asked !== confirmCount) {
        setConfirmCount(asked);
        setTyped('');
      } else setError(e);
      setBusy(false);
    }
  };

  const manual = action ? allowsTrigger(action, 'manual') : true;
  return (
    <form class="panel" aria-labelledby="bulk-title" onSubmit={launch} novalidate>
      <h2 id="bulk-title" tabIndex={-1} ref={heading}>
        Run an action on {deviceIds.length} {deviceIds.length === 1 ? 'device' : 'devices'}
      </h2>
      <ErrorMessage error={actions.error ?? error} title="Could not launch" />
      {actions.loading ? <Loading label="Loading the actions you may run…" /> : null}
      {actions.data && actions.data.length === 0 ? <p>Your roles let you run no action. Ask an administrator to add actions to your role.</p> : null}
      {actions.data && actions.data.length > 0 ? (
        <SelectField
          label="Action"
          value={slug}
          options={[{ value: '', label: 'Choose an action…' }, ...actions.data.map((a) => ({ value: a.slug, label: `${a.name} (${a.platforms.join(', ') || 'no script'})` }))]}
          onChange={setSlug}
        />
      ) : null}
      {action ? (
        <fieldset class="plain" disabled={busy}>
          <legend class="visually-hidden">Parameters of {action.name}</legend>
          {action.description ? <p class="muted">{action.description}</p> : null}
          {manual ? null : <p class="alert alert-error">{action.name} cannot be started by hand: its triggers are {action.current.triggers.join(', ')}.</p>}
          <ParameterFields decls={action.current.parameters} values={values} errors={errors} onChange={(name, v) => setValues({ ...values, [name]: v })} />
          {confirmCount !== null ? (
            <TextField
              label={`This launch reaches ${confirmCount} devices and runs in waves (a staged rollout). Type ${confirmCount} to confirm.`}
              value={typed}
              error={errors.confirm}
              inputMode="numeric"
              autoComplete="off"
              onInput={setTyped}
            />
          ) : null}
        </fieldset>
      ) : null}
      <FormActions submit={busy ? 'Launching…' : `Launch on ${deviceIds.length} ${deviceIds.length === 1 ? 'device' : 'devices'}`} disabled={!action || !manual || busy} onCancel={onCancel} />
    </form>
  );
}
