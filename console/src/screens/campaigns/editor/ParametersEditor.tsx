import type { CampaignParameterDecl } from '@fixpoint/protocol';
import { Checkbox, TextField } from '../../../components/Fields';
import type { FieldErrors } from '../../../lib/form-errors';

type Parameter = Partial<CampaignParameterDecl> & { name: string };

export interface ParametersEditorProps {
  parameters: Parameter[];
  errors: FieldErrors;
  onChange: (parameters: Parameter[]) => void;
}

/** `{{parameters}}` the texts may use; each trigger (or the script that starts the campaign) gives their values. */
export function ParametersEditor({ parameters, errors, onChange }: ParametersEditorProps) {
  const update = (i: number, patch: Partial<Parameter>) => onChange(parameters.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <section class="panel" aria-labelledby="parameters-title">
      <h2 id="parameters-title">Parameters</h2>
      <p class="muted">
        Write <code>{'{{name}}'}</code> in any text; the value comes with each trigger, or the default.
      </p>
      {parameters.map((p, i) => (
        <fieldset key={i} class="row-card" aria-label={`Parameter ${i + 1}`}>
          <legend>Parameter {i + 1}</legend>
          <div class="grid-3">
            <TextField label="Name" value={p.name} error={errors[`parameters.${i}.name`]} onInput={(name) => update(i, { name })} />
            <TextField label="Default value" value={p.default ?? ''} error={errors[`parameters.${i}.default`]} onInput={(v) => update(i, { default: v })} />
            <TextField label="Description" value={p.description ?? ''} onInput={(description) => update(i, { description })} />
          </div>
          <div class="row">
            <Checkbox label="Required when triggered" checked={p.required ?? false} onChange={(required) => update(i, { required })} />
            <button type="button" class="button small danger-outline" aria-label={`Remove parameter ${i + 1}`} onClick={() => onChange(parameters.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
        </fieldset>
      ))}
      <button type="button" class="button small" onClick={() => onChange([...parameters, { name: '', description: '', required: false }])}>
        Add parameter
      </button>
    </section>
  );
}
