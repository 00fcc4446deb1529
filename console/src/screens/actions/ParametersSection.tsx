import { limits, outputTypes, type OutputType, type ParameterType } from '@fixpoint/protocol';
import { Checkbox, SelectField, TextField } from '../../components/Fields';
import { emptyOutput, emptyParameter, type OutputField, type ParameterField } from '../../lib/action-form';
import type { FieldErrors } from '../../lib/form-errors';

export interface ParametersSectionProps {
  parameters: ParameterField[];
  errors: FieldErrors;
  onChange: (parameters: ParameterField[]) => void;
}

const parameterTypes: ParameterType[] = ['string', 'int', 'bool', 'enum'];

function replaceAt<T>(list: T[], index: number, patch: Partial<T>): T[] {
  return list.map((item, i) => (i === index ? { ...item, ...patch } : item));
}

/** Typed parameters the person launching fills in; each row is its own fieldset named after the parameter. */
export function ParametersSection({ parameters, errors, onChange }: ParametersSectionProps) {
  return (
    <section class="panel" aria-labelledby="parameters-title">
      <h2 id="parameters-title">Parameters</h2>
      {errors.parameters ? <p class="field-error">{errors.parameters}</p> : null}
      {parameters.length === 0 ? <p class="muted">No parameters: the action runs the same way every time.</p> : null}
      {parameters.map((p, i) => {
        const err = (field: string) => errors[`parameters.${i}.${field}`];
        const set = (patch: Partial<ParameterField>) => onChange(replaceAt(parameters, i, patch));
        return (
          <fieldset class="row-card" key={i}>
            <legend>
              Parameter {i + 1}
              {p.name ? `: ${p.name}` : ''}
            </legend>
            <div class="grid-3">
              <TextField label="Name" required value={p.name} error={err('name')} hint="Letters, digits and _." onInput={(name) => set({ name })} />
              <SelectField label="Type" value={p.type} options={parameterTypes} onChange={(type) => set({ type })} />
              <TextField label="Description" value={p.description} error={err('description')} onInput={(description) => set({ description })} />
              <TextField
                label="Default value"
                value={p.defaultValue}
                disabled={p.secret}
                error={err('default')}
                hint={p.type === 'bool' ? 'true or false' : undefined}
                onInput={(defaultValue) => set({ defaultValue })}
              />
              <TextField
                label="Allowed values"
                value={p.allowedValues}
                error={err('allowedValues')}
                hint="Comma-separated; required for enum."
                onInput={(allowedValues) => set({ allowedValues })}
              />
            </div>
            <div class="row">
              <Checkbox label="Required" checked={p.required} onChange={(required) => set({ required })} />
              <Checkbox label="Allow other values" checked={p.allowCustomValues} onChange={(allowCustomValues) => set({ allowCustomValues })} />
              <Checkbox label="Secret (never stored or shown)" checked={p.secret} onChange={(secret) => set({ secret, ...(secret ? { defaultValue: '' } : {}) })} />
              <button type="button" class="button small danger-outline" onClick={() => onChange(parameters.filter((_, j) => j !== i))}>
                Remove parameter {i + 1}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button
        type="button"
        class="button"
        disabled={parameters.length >= limits.maxParameters}
        onClick={() => onChange([...parameters, emptyParameter()])}
      >
        Add parameter
      </button>
    </section>
  );
}

export interface OutputsSectionProps {
  outputs: OutputField[];
  errors: FieldErrors;
  onChange: (outputs: OutputField[]) => void;
}

/** Typed outputs the script reports; their latest values become device fields. */
export function OutputsSection({ outputs, errors, onChange }: OutputsSectionProps) {
  return (
    <section class="panel" aria-labelledby="outputs-title">
      <h2 id="outputs-title">Outputs</h2>
      {errors.outputs ? <p class="field-error">{errors.outputs}</p> : null}
      {outputs.length === 0 ? <p class="muted">No outputs: only the exit code and the output tails are kept.</p> : null}
      {outputs.map((o, i) => {
        const err = (field: string) => errors[`outputs.${i}.${field}`];
        const set = (patch: Partial<OutputField>) => onChange(replaceAt(outputs, i, patch));
        return (
          <fieldset class="row-card" key={i}>
            <legend>
              Output {i + 1}
              {o.name ? `: ${o.name}` : ''}
            </legend>
            <div class="grid-3">
              <TextField label="Name" required value={o.name} error={err('name')} hint="Lower-case letters, digits and _." onInput={(name) => set({ name })} />
              <SelectField<OutputType> label="Type" value={o.type} options={outputTypes} onChange={(type) => set({ type })} />
              <TextField label="Description" value={o.description} error={err('description')} onInput={(description) => set({ description })} />
              {o.type === 'string' || o.type === 'string-list' ? (
                <TextField
                  label="Size cap (bytes)"
                  inputMode="numeric"
                  value={o.maxBytes}
                  error={err('maxBytes')}
                  hint={`Default ${limits.defaultStringOutputBytes}.`}
                  onInput={(maxBytes) => set({ maxBytes })}
                />
              ) : null}
            </div>
            <button type="button" class="button small danger-outline" onClick={() => onChange(outputs.filter((_, j) => j !== i))}>
              Remove output {i + 1}
            </button>
          </fieldset>
        );
      })}
      <button type="button" class="button" disabled={outputs.length >= limits.maxOutputs} onClick={() => onChange([...outputs, emptyOutput()])}>
        Add output
      </button>
    </section>
  );
}
