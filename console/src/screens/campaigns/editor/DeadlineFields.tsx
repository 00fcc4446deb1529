import { TextField } from '../../../components/Fields';
import type { CampaignForm } from '../../../lib/campaign-form';
import type { FieldErrors } from '../../../lib/form-errors';

export interface DeadlineFieldsProps {
  form: CampaignForm;
  errors: FieldErrors;
  onChange: (patch: Partial<CampaignForm>) => void;
}

/** A whole number from a field, or undefined when it is blank (the setting is then off). */
export function optionalWhole(text: string, scale = 1): number | undefined {
  const v = text.trim().replace(',', '.');
  return v === '' ? undefined : Math.round(Number(v) * scale);
}

/** The deadline of something disruptive: when it goes ahead without an answer, how often it may be postponed, the countdown. */
export function DeadlineFields({ form, errors, onChange }: DeadlineFieldsProps) {
  const hasDeadline = form.deadlineSec !== undefined;
  return (
    <div class="grid-2">
      <TextField
        label="Deadline (hours after the trigger)"
        inputMode="decimal"
        value={hasDeadline ? String(Math.round((form.deadlineSec! / 3600) * 100) / 100) : ''}
        error={errors.deadlineSec}
        hint="Blank: none. At the deadline an unanswered request ends as “deadline reached” and a waiting script goes ahead."
        onInput={(v) => {
          const deadlineSec = optionalWhole(v, 3600);
          onChange(deadlineSec === undefined ? { deadlineSec: undefined, maxPostpones: undefined, countdownSec: undefined } : { deadlineSec });
        }}
      />
      {hasDeadline ? (
        <>
          <TextField
            label="Postpones allowed"
            inputMode="numeric"
            value={form.maxPostpones === undefined ? '' : String(form.maxPostpones)}
            error={errors.maxPostpones}
            hint="Blank: no limit. The prompt shows how many are left."
            onInput={(v) => onChange({ maxPostpones: optionalWhole(v) })}
          />
          <TextField
            label="Countdown (seconds)"
            inputMode="numeric"
            value={form.countdownSec === undefined ? '' : String(form.countdownSec)}
            error={errors.countdownSec}
            hint="Blank: 300. The prompt counts down the last seconds, with no postpone."
            onInput={(v) => onChange({ countdownSec: optionalWhole(v) })}
          />
        </>
      ) : null}
    </div>
  );
}
