/** @module The launch form built from an action's parameter declarations, with per-field errors. */
import type { ActionWithVersion } from '@fixpoint/protocol';
import { useEffect, useRef } from 'preact/hooks';
import { fieldsFor, type FieldModel, type FormValues } from './parameter-form';

export interface ParameterFormProps {
  action: ActionWithVersion;
  values: FormValues;
  errors: Record<string, string>;
  busy: boolean;
  idPrefix: string;
  onChange(name: string, value: string | boolean): void;
  onSubmit(): void;
  onCancel(): void;
}

function Field({ field, value, error, id, onChange }: { field: FieldModel; value: string | boolean; error?: string; id: string; onChange(v: string | boolean): void }) {
  const describedBy = [field.description ? `${id}-desc` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, 'aria-required': field.required || undefined };
  let control;
  switch (field.kind) {
    case 'checkbox':
      control = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
      break;
    case 'select':
      control = (
        <select {...common} value={String(value)} onChange={(e) => onChange(e.currentTarget.value)}>
          {!field.required && <option value="">—</option>}
          {field.required && value === '' && <option value="">Choose…</option>}
          {field.options.map((o) => (
            <option key={o} value={o}>{o}</option>
          ))}
        </select>
      );
      break;
    case 'combo':
      control = (
        <>
          <input {...common} type="text" list={`${id}-list`} value={String(value)} onInput={(e) => onChange(e.currentTarget.value)} />
          <datalist id={`${id}-list`}>{field.options.map((o) => <option key={o} value={o} />)}</datalist>
        </>
      );
      break;
    default:
      control = (
        <input
          {...common}
          type={field.kind === 'password' ? 'password' : 'text'}
          inputMode={field.kind === 'number' ? 'numeric' : undefined}
          autocomplete={field.kind === 'password' ? 'off' : undefined}
          value={String(value)}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
  return (
    <div class="fp-field">
      <label for={id}>
        {field.name}
        {field.required && <span aria-hidden="true"> *</span>}
      </label>
      {control}
      {field.description && <span id={`${id}-desc`} class="fp-muted">{field.description}</span>}
      {error && <span id={`${id}-err`} class="fp-error">{error}</span>}
    </div>
  );
}

export function ParameterForm({ action, values, errors, busy, idPrefix, onChange, onSubmit, onCancel }: ParameterFormProps) {
  const form = useRef<HTMLFormElement>(null);
  const fields = fieldsFor(action.current.parameters);
  // After a failed submit, move focus to the first field that needs attention.
  useEffect(() => {
    if (Object.keys(errors).length) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  return (
    <form
      ref={form}
      class="fp-field"
      aria-labelledby={`${idPrefix}-action-title`}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h3 id={`${idPrefix}-action-title`}>{action.name}</h3>
      {action.description && <p class="fp-muted">{action.description}</p>}
      {action.current.runAs === 'user' && <p class="fp-muted">Runs as the signed-in user of the device.</p>}
      {fields.map((f) => (
        <Field key={f.name} field={f} value={values[f.name] ?? ''} error={errors[f.name]} id={`${idPrefix}-p-${f.name}`} onChange={(v) => onChange(f.name, v)} />
      ))}
      {errors._form && <p class="fp-error" role="alert">{errors._form}</p>}
      <div class="fp-actions-bar">
        <button type="submit" class="fp-primary" disabled={busy}>
          {busy ? 'Launching…' : 'Launch'}
        </button>
        <button type="button" onClick={onCancel}>Back</button>
      </div>
    </form>
  );
}
