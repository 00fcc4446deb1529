import type { SelfServiceField, SelfServiceText } from '../../lib/action-form';
import type { FieldErrors } from '../../lib/form-errors';
import { TextField } from '../../components/Fields';

export interface SelfServiceSectionProps {
  value: SelfServiceField;
  errors: FieldErrors;
  onChange: (value: SelfServiceField) => void;
}

/**
 * What the device's users see of a self-service action in the tray's "Fix a problem" menu, per language, and how
 * often each device may run it. Shown once the action allows the `self_service` trigger.
 */
export function SelfServiceSection({ value, errors, onChange }: SelfServiceSectionProps) {
  const setText = (i: number, patch: Partial<SelfServiceText>) => onChange({ ...value, texts: value.texts.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  return (
    <section class="panel" aria-labelledby="self-service-title">
      <h2 id="self-service-title">Self-service</h2>
      <p class="hint">Users run it from the tray’s “Fix a problem” menu, on their own device, with the parameters’ defaults.</p>
      {value.texts.map((t, i) => (
        <div class="grid-3" key={i}>
          <TextField label="Language" value={t.language} hint="e.g. en, fr, pt-BR" error={errors[`selfService.title.${t.language}`]} onInput={(language) => setText(i, { language })} />
          <TextField label={`Title (${t.language || '?'})`} value={t.title} error={i === 0 ? errors['selfService.title'] : undefined} onInput={(title) => setText(i, { title })} />
          <TextField label={`What it does (${t.language || '?'})`} value={t.description} onInput={(description) => setText(i, { description })} />
        </div>
      ))}
      <button type="button" class="button small" onClick={() => onChange({ ...value, texts: [...value.texts, { language: '', title: '', description: '' }] })}>
        Add a language
      </button>
      <div class="grid-3">
        <TextField
          label="Cooldown (seconds)"
          inputMode="numeric"
          value={value.cooldownSec}
          hint="Least time between two runs on one device."
          error={errors['selfService.cooldownSec']}
          onInput={(cooldownSec) => onChange({ ...value, cooldownSec })}
        />
        <TextField
          label="Daily limit"
          inputMode="numeric"
          value={value.dailyLimit}
          hint="Most runs per device in 24 hours."
          error={errors['selfService.dailyLimit']}
          onInput={(dailyLimit) => onChange({ ...value, dailyLimit })}
        />
      </div>
    </section>
  );
}
