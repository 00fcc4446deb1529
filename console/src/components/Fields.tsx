/** @module Labelled form controls: every control has a visible label, and its hint and error are tied to it for screen readers. */
import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

interface BaseProps {
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  /** Shown next to the label; the control also gets `required`. */
  required?: boolean;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

/** A control's hint and error, with the ids its `aria-describedby` names (`<id>-hint`, `<id>-error`). */
export function FieldExtras({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string | undefined }) {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

export interface TextFieldProps extends BaseProps {
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'search' | 'url' | 'number' | 'datetime-local';
  autoComplete?: string;
  placeholder?: string;
  disabled?: boolean;
  inputMode?: JSX.HTMLAttributes['inputMode'];
  name?: string;
}

export function TextField({ label, hint, error, required, value, onInput, type = 'text', ...rest }: TextFieldProps) {
  const id = useId();
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>
        {label}
        {required ? <span class="required"> (required)</span> : null}
      </label>
      <input
        id={id}
        type={type}
        value={value}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onInput(e.currentTarget.value)}
        {...rest}
      />
      <FieldExtras id={id} hint={hint} error={error} />
    </div>
  );
}

export interface TextAreaFieldProps extends BaseProps {
  value: string;
  onInput: (value: string) => void;
  rows?: number;
  class?: string;
}

export function TextAreaField({ label, hint, error, required, value, onInput, rows = 3, class: className }: TextAreaFieldProps) {
  const id = useId();
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        class={className}
        rows={rows}
        value={value}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <FieldExtras id={id} hint={hint} error={error} />
    </div>
  );
}

export interface SelectFieldProps<T extends string> extends BaseProps {
  value: T;
  options: readonly (T | { value: T; label: string })[];
  onChange: (value: T) => void;
  disabled?: boolean;
}

export function SelectField<T extends string>({ label, hint, error, value, options, onChange, disabled }: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChange(e.currentTarget.value as T)}
      >
        {options.map((o) => {
          const option = typeof o === 'string' ? { value: o, label: o } : o;
          return (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          );
        })}
      </select>
      <FieldExtras id={id} hint={hint} error={error} />
    </div>
  );
}

export interface CheckboxProps {
  label: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  disabled?: boolean;
}

export function Checkbox({ label, checked, onChange, hint, disabled }: CheckboxProps) {
  const id = useId();
  return (
    <div class="checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <label for={id}>{label}</label>
      {hint ? (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export interface CheckboxGroupProps<T extends string> {
  legend: string;
  options: readonly (T | { value: T; label: string; hint?: string })[];
  value: readonly T[];
  onChange: (value: T[]) => void;
  error?: string | undefined;
  hint?: string;
}

/** A fieldset of checkboxes for picking several values (permissions, triggers, platforms). */
export function CheckboxGroup<T extends string>({ legend, options, value, onChange, error, hint }: CheckboxGroupProps<T>) {
  const id = useId();
  return (
    <fieldset class={`group${error ? ' has-error' : ''}`} aria-describedby={describedBy(id, hint, error)}>
      <legend>{legend}</legend>
      {options.map((o) => {
        const option = typeof o === 'string' ? { value: o, label: o, hint: undefined } : o;
        return (
          <Checkbox
            key={option.value}
            label={option.label}
            hint={option.hint}
            checked={value.includes(option.value)}
            onChange={(on) => onChange(on ? [...value, option.value] : value.filter((v) => v !== option.value))}
          />
        );
      })}
      <FieldExtras id={id} hint={hint} error={error} />
    </fieldset>
  );
}

/** A form's submit button, then its Cancel. */
export function FormActions({ submit, disabled, onCancel }: { submit: ComponentChildren; disabled?: boolean; onCancel: () => void }) {
  return (
    <div class="form-actions">
      <button type="submit" class="button primary" disabled={disabled}>
        {submit}
      </button>
      <button type="button" class="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
