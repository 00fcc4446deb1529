/**
 * @module
 * The parameter form's model: which control each declared parameter gets, and how typed-in text becomes launch
 * values. Validation reuses the protocol's own checks, so the form refuses exactly what the backend would.
 */
import type { ParameterDecl, ParameterValue } from '@fixpoint/protocol';
import { checkParameterValue, resolveParameters } from '@fixpoint/protocol';

export type FieldKind = 'text' | 'password' | 'number' | 'checkbox' | 'select' | 'combo';

export interface FieldModel {
  name: string;
  description: string;
  kind: FieldKind;
  required: boolean;
  /** Choices for select and combo fields, as text. */
  options: string[];
}

/** Raw form state: text for inputs and selects, booleans for checkboxes. */
export type FormValues = Record<string, string | boolean>;

/** Picks the control for each declaration: secrets are password fields, closed choices are selects. */
export function fieldsFor(decls: readonly ParameterDecl[]): FieldModel[] {
  return decls.map((d) => {
    const options = (d.allowedValues ?? []).map(String);
    let kind: FieldKind;
    if (d.type === 'bool') kind = 'checkbox';
    else if (d.secret) kind = 'password';
    else if (options.length) kind = d.allowCustomValues ? 'combo' : 'select';
    else kind = d.type === 'int' ? 'number' : 'text';
    return { name: d.name, description: d.description, kind, required: d.required, options };
  });
}

/** The form's starting values: declared defaults, else empty (unchecked for booleans). */
export function initialValues(decls: readonly ParameterDecl[]): FormValues {
  return Object.fromEntries(
    decls.map((d) => [d.name, d.type === 'bool' ? d.default === true : d.default === undefined ? '' : String(d.default)]),
  );
}

/** Converts one raw value to its typed form; empty text is "not given". Returns NaN for text that is not an integer. */
export function toParameterValue(decl: ParameterDecl, raw: string | boolean | undefined): ParameterValue | undefined {
  if (typeof raw === 'boolean') return decl.type === 'bool' ? raw : undefined;
  const text = (raw ?? '').trim() === '' ? '' : (raw ?? '');
  if (text === '') return undefined;
  if (decl.type === 'int') return /^[+-]?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (decl.type === 'enum') {
    // Allowed values may be numbers; a select hands back their text.
    const match = decl.allowedValues?.find((v) => String(v) === text);
    return match ?? text;
  }
  return text;
}

export type FormCheck = { ok: true; values: Record<string, ParameterValue> } | { ok: false; errors: Record<string, string> };

/** Validates the whole form: per-field messages for the UI, or the values to launch with. */
export function validateForm(decls: readonly ParameterDecl[], raw: FormValues): FormCheck {
  const errors: Record<string, string> = {};
  const given: Record<string, ParameterValue> = {};
  for (const decl of decls) {
    const value = toParameterValue(decl, raw[decl.name]);
    if (value === undefined) {
      if (decl.required && decl.default === undefined) errors[decl.name] = `${decl.name} is required`;
      continue;
    }
    const problem = checkParameterValue(decl, value);
    if (problem) errors[decl.name] = problem;
    else given[decl.name] = value;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const resolved = resolveParameters(decls, given);
  if (!resolved.ok) return { ok: false, errors: { _form: resolved.problems.join('; ') } };
  return { ok: true, values: resolved.values };
}
