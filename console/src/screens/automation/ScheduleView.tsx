import { initialValues, type FormValues } from '@fixpoint/launcher';
import { useEffect, useRef, useState } from 'preact/hooks';
import { schedulesApi, type Schedule } from '../../api/automation';
import type { MeT } from '../../api/resources';
import { ActionChoice, useAction } from '../../components/ActionChoice';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DevicePreview } from '../../components/DevicePreview';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../components/Fields';
import { SavedQueryField } from '../../components/SavedQueryField';
import { PageHeader } from '../../components/PageHeader';
import { ParameterFields } from '../../components/ParameterFields';
import { QueryEditor, type PositionedError } from '../../components/QueryEditor';
import { hasPermission } from '../../lib/access';
import { checkParameters, checkSchedule, describeTiming, emptyScheduleForm, scheduleFormFrom, valuesFromParameters, type ScheduleForm } from '../../lib/automation-form';
import { formatDateTime } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';
import { showNotice } from '../../stores/notice';
import { navigate } from '../../stores/router';
import { ErrorSummary, useSaveErrors } from './save-errors';
import { ScheduleRuns } from './ScheduleRuns';
import { describeLabel } from '../../lib/principals';
import { labelNames } from '../../stores/names';

export interface ScheduleViewProps {
  me: MeT;
  /** null for a new schedule. */
  id: string | null;
}

/** Creates or changes a schedule; shows its state and run history. Readers without actions:edit see it read-only. */
export function ScheduleView({ me, id }: ScheduleViewProps) {
  const canEdit = hasPermission(me, 'actions:edit');
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [form, setForm] = useState<ScheduleForm>(emptyScheduleForm);
  const [values, setValues] = useState<FormValues>({});
  const initial = useRef<FormValues | undefined>(undefined);
  const [targetError, setTargetError] = useState<PositionedError | null>(null);
  const [busy, setBusy] = useState(false);
  const saving = useSaveErrors();
  const { action, error: actionError } = useAction(form.action);

  useEffect(() => {
    if (!id) return;
    schedulesApi.get(id).then((s) => {
      setSchedule(s);
      setForm(scheduleFormFrom(s));
    }, setLoadError);
  }, [id]);
  useEffect(() => {
    if (!action) return;
    // The stored values for the stored action; the declared defaults for another one.
    const stored = schedule && schedule.actionSlug === action.slug ? valuesFromParameters(schedule.parameters, action.current.parameters) : undefined;
    initial.current = stored;
    setValues(stored ?? initialValues(action.current.parameters));
  }, [action, schedule?.id]);

  const update = (patch: Partial<ScheduleForm>) => setForm((f) => ({ ...f, ...patch }));
  const save = async (event: Event) => {
    event.preventDefault();
    saving.reset();
    setTargetError(null);
    const params = checkParameters(action?.current.parameters ?? [], values, initial.current);
    const check = checkSchedule(form, params.ok ? params.parameters : undefined);
    if (!params.ok || !check.ok) return saving.fail({ ...(params.ok ? {} : params.errors), ...(check.ok ? {} : check.errors) });
    setBusy(true);
    try {
      let saved: Schedule;
      if (!schedule) saved = await schedulesApi.create(check.input);
      else {
        const { parameters, ...rest } = check.input;
        saved = await schedulesApi.update(schedule.id, params.ok && params.parameters ? { ...rest, parameters } : rest);
      }
      const to = pathFor('schedule', { id: saved.id });
      showNotice(`Schedule “${saved.name}” saved.`, 'success', to);
      if (schedule) setSchedule(saved);
      else navigate(to, { replace: true });
    } catch (e) {
      setTargetError(saving.failApi(e, form.target));
    } finally {
      setBusy(false);
    }
  };
  const act = (label: string, call: () => Promise<Schedule>) => async () => {
    try {
      setSchedule(await call());
      showNotice(label);
    } catch (e) {
      saving.failApi(e, '');
    }
  };
  const remove = async () => {
    try {
      await schedulesApi.remove(schedule!.id);
      showNotice(`Schedule “${schedule!.name}” deleted.`, 'success', pathFor('schedules'));
      navigate(pathFor('schedules'));
    } catch (e) {
      saving.failApi(e, '');
    }
  };

  if (id && loadError) return <ErrorMessage error={loadError} title="Could not load the schedule" />;
  if (id && !schedule) return <Loading />;
  const errors = saving.errors;
  return (
    <>
      <PageHeader
        title={schedule ? schedule.name : 'New schedule'}
        description={
          schedule
            ? `${describeTiming(schedule)} · ${schedule.pausedReason ? 'paused' : schedule.enabled ? `next run ${formatDateTime(schedule.nextRunAt)}` : 'disabled'} · last run ${formatDateTime(schedule.lastRunAt) || 'never'} · runs as ${schedule.owner ? describeLabel(schedule.owner, labelNames.value) : 'nobody yet'}`
            : 'An action, the devices it runs on, and when. Each run launches on the devices the query selects at that moment.'
        }
      >
        {schedule && canEdit ? (
          <>
            {schedule.enabled && !schedule.pausedReason ? (
              <button type="button" class="button" onClick={act('Schedule disabled.', () => schedulesApi.setEnabled(schedule.id, false))}>
                Disable
              </button>
            ) : (
              <button type="button" class="button" onClick={act('Schedule enabled.', () => schedulesApi.setEnabled(schedule.id, true))}>
                Enable
              </button>
            )}
            <ConfirmButton label="Delete" small={false} question={`Delete “${schedule.name}” and its run history?`} onConfirm={remove} />
          </>
        ) : null}
      </PageHeader>
      {!canEdit ? <p class="alert alert-info">You can read this schedule; changing it needs the actions:edit permission.</p> : null}
      {schedule?.pausedReason ? (
        <p class="alert alert-error" role="status">
          <strong>Paused since {formatDateTime(schedule.pausedAt)}:</strong> {schedule.pausedReason}. Enabling or saving it makes you its owner: it then runs with your rights.
        </p>
      ) : null}
      {canEdit ? <p class="muted">A schedule runs with the rights of whoever saved it last, on the devices in that person’s scope; saving it makes you its owner.</p> : null}
      <ErrorSummary saving={saving} />
      <form onSubmit={save} aria-label={schedule ? `Edit ${schedule.name}` : 'New schedule'} novalidate>
        <fieldset class="plain" disabled={!canEdit || busy}>
          <legend class="visually-hidden">Schedule</legend>
          <section class="panel" aria-labelledby="what-title">
            <h2 id="what-title">What runs</h2>
            <div class="grid-2">
              <TextField label="Name" required value={form.name} error={errors.name} onInput={(name) => update({ name })} />
              <ActionChoice value={form.action} trigger="schedule" error={errors.action} onChange={(a) => update({ action: a })} />
            </div>
            <TextAreaField label="Description" value={form.description} rows={2} onInput={(description) => update({ description })} />
            <ErrorMessage error={actionError} />
            {action ? (
              <fieldset class="group">
                <legend>Parameters of {action.name}</legend>
                <ParameterFields decls={action.current.parameters} values={values} errors={prefixed(errors)} keepSecretsHint={Boolean(schedule)} onChange={(n, v) => setValues({ ...values, [n]: v })} />
              </fieldset>
            ) : null}
          </section>
          <section class="panel" aria-labelledby="where-title">
            <h2 id="where-title">Devices</h2>
            <QueryEditor label="Target" required value={form.target} onInput={(target) => update({ target })} error={targetError} rows={2} hint='A devices query, e.g. devices | where platform == "windows". Evaluated at each run.' />
            {errors.target && !targetError ? <p class="field-error">{errors.target}</p> : null}
            <DevicePreview query={form.target} onError={setTargetError} />
            <SavedQueryField
              value={form.savedQuery}
              error={errors.savedQuery}
              hint="A dynamic category: read again at each run, so devices that join it later are included."
              anyLabel="Any (the target alone)"
              onChange={(savedQuery) => update({ savedQuery })}
            />
          </section>
          <section class="panel" aria-labelledby="when-title">
            <h2 id="when-title">When</h2>
            <SelectField
              label="Timing"
              value={form.timing}
              options={[{ value: 'interval', label: 'Every so often' }, { value: 'cron', label: 'Cron expression' }]}
              onChange={(timing) => update({ timing })}
            />
            {form.timing === 'interval' ? (
              <div class="grid-3">
                <TextField label="Every" inputMode="decimal" value={form.every} error={errors.every} onInput={(every) => update({ every })} />
                <SelectField label="Unit" value={form.unit} options={['minutes', 'hours', 'days']} onChange={(unit) => update({ unit })} />
              </div>
            ) : (
              <div class="grid-3">
                <TextField label="Cron expression" value={form.cron} error={errors.cron} hint="minute hour day-of-month month day-of-week; or @hourly, @daily, @weekly." onInput={(cron) => update({ cron })} />
                <SelectField
                  label="Time zone"
                  value={form.timezone}
                  error={errors.timezone}
                  hint={form.timezone === 'device' ? 'Each device runs it when its own clock reads the time; envelopes reach devices up to 14 hours ahead and wait there.' : undefined}
                  options={[{ value: 'utc', label: 'UTC' }, { value: 'device', label: "Each device's local time" }]}
                  onChange={(timezone) => update({ timezone })}
                />
              </div>
            )}
            <TextField
              label="Spread over (minutes)"
              inputMode="decimal"
              value={form.spreadMinutes}
              error={errors.spreadMinutes}
              hint="Each device starts at its own fixed offset within this window, so a large fleet does not run in the same second. Empty: all at once."
              onInput={(spreadMinutes) => update({ spreadMinutes })}
            />
            <Checkbox label="Skip devices that keep failing" checked={form.damping} onChange={(damping) => update({ damping })} />
            {form.damping ? (
              <div class="grid-3">
                <TextField label="Failures in a row" inputMode="numeric" value={form.dampingFailures} error={errors.dampingFailures} onInput={(dampingFailures) => update({ dampingFailures })} />
                <TextField label="Then skip for (hours)" inputMode="decimal" value={form.dampingHours} error={errors.dampingHours} onInput={(dampingHours) => update({ dampingHours })} />
              </div>
            ) : null}
            <div class="grid-3">
              <TextField label="Wait for offline devices (hours)" inputMode="decimal" value={form.expiryHours} error={errors.expiryHours} hint="Empty: the action's own expiry." onInput={(expiryHours) => update({ expiryHours })} />
              <TextField label="Keep run history (days)" inputMode="numeric" value={form.retentionDays} error={errors.retentionDays} onInput={(retentionDays) => update({ retentionDays })} />
            </div>
            {!schedule ? <Checkbox label="Enabled" checked={form.enabled} onChange={(enabled) => update({ enabled })} /> : null}
          </section>
        </fieldset>
        {canEdit ? (
          <div class="form-actions">
            <button type="submit" class="button primary" disabled={busy}>
              {busy ? 'Saving…' : schedule ? 'Save changes' : 'Create schedule'}
            </button>
          </div>
        ) : null}
      </form>
      {schedule ? <ScheduleRuns id={schedule.id} key={schedule.lastRunAt ?? ''} /> : null}
    </>
  );
}

/** Parameter errors as ParameterFields reads them: by parameter name. */
function prefixed(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (k.startsWith('parameters.')) out[k.slice('parameters.'.length)] = v;
  if (errors.parameters) out._form = errors.parameters;
  return out;
}
