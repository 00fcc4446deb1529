import { useId } from 'preact/hooks';
import { FieldExtras } from '../../components/Fields';
import { ruleKinds, type RuleKind } from '../../lib/automation-form';

export interface RuleKindFieldProps {
  value: RuleKind;
  error?: string | undefined;
  onChange: (kind: RuleKind) => void;
}

/** Self-healing, or self-help run as the system or as the logged-in user: what the rule does for the device's user. */
export function RuleKindField({ value, error, onChange }: RuleKindFieldProps) {
  const id = useId();
  return (
    <fieldset class={`group${error ? ' has-error' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Kind</legend>
      {ruleKinds.map((k) => (
        <div key={k.value} class="checkbox">
          <input
            id={`${id}-${k.value}`}
            type="radio"
            name={`${id}-kind`}
            value={k.value}
            checked={value === k.value}
            aria-describedby={`${id}-${k.value}-hint`}
            onChange={() => onChange(k.value)}
          />
          <label for={`${id}-${k.value}`}>{k.label}</label>
          <span class="hint muted small" id={`${id}-${k.value}-hint`}>
            {k.hint}
          </span>
        </div>
      ))}
      {value !== 'healing' ? (
        <p class="muted small">
          A user who declines or postpones, no answer in time, or nobody logged in is a neutral outcome: the script exits with the code{' '}
          <code>fixpoint campaign</code> returned (10–14), and the run counts neither as a success nor as a failure.
        </p>
      ) : null}
      <FieldExtras id={id} error={error} />
    </fieldset>
  );
}
