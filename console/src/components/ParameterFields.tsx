/**
 * @module The parameters of an action as form fields. The model (which control, how text becomes typed values, the
 * checks) is the launcher panel's, so the console refuses exactly what the extension and the backend refuse.
 */
import type { ParameterDecl } from '@fixpoint/protocol';
import { fieldsFor, type FormValues } from '@fixpoint/launcher';
import { Checkbox, SelectField, TextField } from './Fields';

export interface ParameterFieldsProps {
  decls: readonly ParameterDecl[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (name: string, value: string | boolean) => void;
  /** Secret values cannot be read back once saved; say that an empty field keeps the stored one. */
  keepSecretsHint?: boolean;
}

export function ParameterFields({ decls, values, errors, onChange, keepSecretsHint }: ParameterFieldsProps) {
  if (!decls.length) return <p class="muted">This action takes no parameters.</p>;
  return (
    <>
      {fieldsFor(decls).map((f) => {
        const hint = [f.description, f.kind === 'password' && keepSecretsHint ? 'Leave empty to keep the stored value.' : '', f.kind === 'combo' ? `Suggested: ${f.options.join(', ')}` : '']
          .filter(Boolean)
          .join(' ');
        const value = values[f.name];
        if (f.kind === 'checkbox')
          return <Checkbox key={f.name} label={f.name} hint={hint || undefined} checked={value === true} onChange={(on) => onChange(f.name, on)} />;
        if (f.kind === 'select')
          return (
            <SelectField
              key={f.name}
              label={f.name}
              hint={hint || undefined}
              error={errors[f.name]}
              value={typeof value === 'string' ? value : ''}
              options={[{ value: '', label: f.required ? 'Choose…' : 'Default' }, ...f.options.map((o) => ({ value: o, label: o }))]}
              onChange={(v) => onChange(f.name, v)}
            />
          );
        return (
          <TextField
            key={f.name}
            label={f.name}
            required={f.required}
            hint={hint || undefined}
            error={errors[f.name]}
            type={f.kind === 'password' ? 'password' : 'text'}
            inputMode={f.kind === 'number' ? 'numeric' : undefined}
            autoComplete={f.kind === 'password' ? 'new-password' : 'off'}
            value={typeof value === 'string' ? value : ''}
            onInput={(v) => onChange(f.name, v)}
          />
        );
      })}
      {errors._form ? <p class="field-error">{errors._form}</p> : null}
    </>
  );
}
