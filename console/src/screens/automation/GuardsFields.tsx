import { TextField } from '../../components/Fields';
import type { GuardsForm } from '../../lib/automation-form';
import type { FieldErrors } from '../../lib/form-errors';

export interface GuardsFieldsProps {
  guards: GuardsForm;
  errors: FieldErrors;
  onChange: (guards: GuardsForm) => void;
}

const fields: [keyof GuardsForm, string, string][] = [
  ['cooldownMinutes', 'Cooldown per device (minutes)', 'Time between two runs on one device.'],
  ['maxRunsPerDevicePerDay', 'Runs per device per day', 'In any 24 hours.'],
  ['maxAttempts', 'Attempts while it keeps matching', 'At most 3; the count resets once the device passes.'],
  ['maxConcurrent', 'Runs at once, fleet-wide', 'Executions of this rule queued or running together.'],
  ['canaryPercent', 'Canary (% of matching devices)', 'Must succeed before the rest run; 0 turns the staged rollout off.'],
];
const breaker: [keyof GuardsForm, string, string][] = [
  ['breakerWindow', 'Results looked at', 'The latest results the failure rate is computed over.'],
  ['breakerMinResults', 'Fewest results', 'The breaker waits for this many results.'],
  ['breakerFailurePercent', 'Failure rate that pauses (%)', 'The rule pauses itself at this rate, until someone resumes it.'],
];

/** The limits on how often and how widely a rule fires, and its circuit breaker. */
export function GuardsFields({ guards, errors, onChange }: GuardsFieldsProps) {
  const field = ([key, label, hint]: [keyof GuardsForm, string, string]) => (
    <TextField key={key} label={label} hint={hint} inputMode="decimal" value={guards[key]} error={errors[`guards.${key}`]} onInput={(v) => onChange({ ...guards, [key]: v })} />
  );
  return (
    <section class="panel" aria-labelledby="guards-title">
      <h2 id="guards-title">Guards</h2>
      <div class="grid-3">{fields.map(field)}</div>
      <fieldset class="group">
        <legend>Circuit breaker</legend>
        <div class="grid-3">{breaker.map(field)}</div>
      </fieldset>
    </section>
  );
}
