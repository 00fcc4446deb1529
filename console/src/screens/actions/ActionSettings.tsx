import { actionTriggers, type ActionTrigger, type WhenNoUser } from '@fixpoint/protocol';
import { CheckboxGroup, SelectField, TextAreaField, TextField } from '../../components/Fields';
import type { ActionForm } from '../../lib/action-form';
import { errorFor, type FieldErrors } from '../../lib/form-errors';
import { formatDuration } from '@fixpoint/protocol';

export interface ActionSettingsProps {
  form: ActionForm;
  errors: FieldErrors;
  /** The slug names the action for good; it is fixed once created. */
  isNew: boolean;
  onChange: (patch: Partial<ActionForm>) => void;
}

const triggerHints: Record<ActionTrigger, string> = {
  manual: 'from the console',
  extension: 'from the browser extension',
  api: 'by API clients',
  schedule: 'on a schedule',
  detection: 'by detection rules',
  self_service: 'by the device’s user, from the tray',
};

const whenNoUserOptions: { value: WhenNoUser; label: string }[] = [
  { value: 'wait', label: 'Wait for someone to log in' },
  { value: 'skip', label: 'Skip (no user)' },
  { value: 'fail', label: 'Fail' },
];

const whenNoUserHints: Record<WhenNoUser, string> = {
  wait: 'The device holds the run until a console session starts, until the run expires.',
  skip: 'The run ends at once with the no-user outcome (exit code 14): neutral for detection rules.',
  fail: 'The run ends at once as a failure.',
};

function seconds(text: string): string | undefined {
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && n > 0 ? `= ${formatDuration(n)}` : undefined;
}

/** Name, slug, purpose, how and how long it runs, and who may start it. */
export function ActionSettings({ form, errors, isNew, onChange }: ActionSettingsProps) {
  return (
    <section class="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <div class="grid-2">
        <TextField label="Name" required value={form.name} error={errors.name} onInput={(name) => onChange({ name })} />
        <TextField
          label="Slug"
          required
          value={form.slug}
          disabled={!isNew}
          hint={isNew ? 'Lower-case letters, digits and dashes; it names the action in the API and cannot change later.' : 'The slug cannot change.'}
          error={errors.slug}
          onInput={(slug) => onChange({ slug })}
        />
      </div>
      <TextAreaField label="Description" value={form.description} error={errors.description} onInput={(description) => onChange({ description })} />
      <div class="grid-3">
        <SelectField
          label="Purpose"
          value={form.purpose}
          options={[{ value: 'remediation', label: 'Remediation' }, { value: 'data_collection', label: 'Data collection' }]}
          onChange={(purpose) => onChange({ purpose })}
        />
        <SelectField
          label="Run as"
          value={form.runAs}
          options={[{ value: 'system', label: 'System (root / LocalSystem)' }, { value: 'user', label: 'The logged-in user' }]}
          onChange={(runAs) => onChange({ runAs })}
        />
        {form.runAs === 'user' ? (
          <SelectField
            label="When nobody is logged in"
            value={form.whenNoUser}
            options={whenNoUserOptions}
            hint={whenNoUserHints[form.whenNoUser]}
            onChange={(whenNoUser) => onChange({ whenNoUser })}
          />
        ) : null}
        <TextField
          label="Timeout (seconds)"
          inputMode="numeric"
          value={form.timeoutSec}
          hint={seconds(form.timeoutSec) ?? 'The script is killed, with its child processes, after this long.'}
          error={errors.timeoutSec}
          onInput={(timeoutSec) => onChange({ timeoutSec })}
        />
        <TextField
          label="Expiry (seconds)"
          inputMode="numeric"
          value={form.expirySec}
          hint={seconds(form.expirySec) ?? 'A launch not started by then expires (offline devices).'}
          error={errors.expirySec}
          onInput={(expirySec) => onChange({ expirySec })}
        />
        <TextField
          label="Output cap (bytes)"
          inputMode="numeric"
          value={form.outputCapBytes}
          hint="Most of stdout and stderr kept per execution."
          error={errors.outputCapBytes}
          onInput={(outputCapBytes) => onChange({ outputCapBytes })}
        />
      </div>
      <CheckboxGroup
        legend="Allowed triggers"
        options={actionTriggers.map((t) => ({ value: t, label: t, hint: triggerHints[t] }))}
        value={form.triggers}
        error={errorFor(errors, 'triggers')}
        onChange={(triggers) => onChange({ triggers })}
      />
    </section>
  );
}
