import { LanguageCode } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../../components/Fields';
import type { CampaignForm } from '../../../lib/campaign-form';
import { errorFor, type FieldErrors } from '../../../lib/form-errors';
import { DeadlineFields } from './DeadlineFields';
import { LocalizedField } from './LocalizedField';

export interface SettingsSectionProps {
  form: CampaignForm;
  errors: FieldErrors;
  isNew: boolean;
  lang: string;
  onChange: (patch: Partial<CampaignForm>) => void;
}

const hours = (sec: number | undefined, fallback: number) => String(Math.round(((sec ?? fallback) / 3600) * 100) / 100);
const fromHours = (v: string) => Math.round(Number(v.replace(',', '.')) * 3600);

/** Name and slug, how the prompt looks, and how insistent it is (urgency, postpone, decline, expiry). */
export function SettingsSection({ form, errors, isNew, lang, onChange }: SettingsSectionProps) {
  const defaultLanguage = form.defaultLanguage ?? 'en';
  const mandatory = form.mandatory ?? false;
  return (
    <>
      <section class="panel" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <div class="grid-2">
          <TextField label="Name" required value={form.name} error={errors.name} onInput={(name) => onChange({ name })} />
          <TextField
            label="Slug"
            required
            value={form.slug}
            error={errors.slug}
            disabled={!isNew}
            hint={isNew ? 'Lower-case words and dashes; scripts name the campaign by it.' : 'A campaign keeps its slug.'}
            onInput={(slug) => onChange({ slug })}
          />
        </div>
        <TextAreaField label="Description" value={form.description ?? ''} error={errors.description} rows={2} onInput={(description) => onChange({ description })} />
      </section>
      <section class="panel" aria-labelledby="look-title">
        <h2 id="look-title">Appearance</h2>
        <LocalizedField
          label="Title"
          text={form.branding.title}
          lang={lang}
          defaultLanguage={defaultLanguage}
          required
          error={errorFor(errors, 'branding.title')}
          hint="Shown at the top of the prompt, e.g. your IT department's name."
          onChange={(title) => onChange({ branding: { ...form.branding, title } })}
        />
        <div class="grid-2">
          <div class="field">
            <label for="accent-colour">Accent colour</label>
            <div class="row colour-row">
              <input
                id="accent-colour"
                type="color"
                value={form.branding.accentColor ?? '#2563eb'}
                aria-describedby={errors['branding.accentColor'] ? 'accent-error' : undefined}
                onInput={(e) => onChange({ branding: { ...form.branding, accentColor: e.currentTarget.value } })}
              />
              <code>{form.branding.accentColor}</code>
            </div>
            {errors['branding.accentColor'] ? (
              <p class="field-error" id="accent-error">
                {errors['branding.accentColor']}
              </p>
            ) : null}
          </div>
          <TextField
            label="Logo URL"
            value={form.branding.logoUrl ?? ''}
            error={errors['branding.logoUrl']}
            hint="An https address, or a data:image URL of at most 64 KB."
            onInput={(logoUrl) => onChange({ branding: { ...form.branding, logoUrl } })}
          />
        </div>
      </section>
      <section class="panel" aria-labelledby="behaviour-title">
        <h2 id="behaviour-title">Behaviour</h2>
        <div class="grid-2">
          <SelectField
            label="Urgency"
            value={form.urgency ?? 'normal'}
            options={[{ value: 'normal', label: 'Normal: waits for a good moment' }, { value: 'urgent', label: 'Urgent: shows at once, marked urgent' }]}
            onChange={(urgency) => onChange({ urgency })}
          />
          <TextField
            label="Expires after (hours)"
            inputMode="decimal"
            value={hours(form.expirySec, 7 * 86400)}
            error={errors.expirySec}
            hint="An unanswered request expires then."
            onInput={(v) => onChange({ expirySec: fromHours(v) })}
          />
        </div>
        <Checkbox
          label="Mandatory"
          checked={mandatory}
          hint="Users can neither postpone nor decline it."
          onChange={(on) => onChange(on ? { mandatory: true, allowPostpone: false, allowDecline: false } : { mandatory: false })}
        />
        <Checkbox label="Users may postpone it" checked={form.allowPostpone ?? false} disabled={mandatory} onChange={(allowPostpone) => onChange({ allowPostpone })} />
        {form.allowPostpone && !mandatory ? (
          <TextField
            label="Ask again after (hours)"
            inputMode="decimal"
            value={hours(form.postponeDelaySec, 3600)}
            error={errors.postponeDelaySec}
            onInput={(v) => onChange({ postponeDelaySec: fromHours(v) })}
          />
        ) : null}
        <Checkbox label="Users may decline it" checked={form.allowDecline ?? false} disabled={mandatory} onChange={(allowDecline) => onChange({ allowDecline })} />
        <DeadlineFields form={form} errors={errors} onChange={onChange} />
        {errors.allowPostpone || errors.allowDecline ? <p class="field-error">{errors.allowPostpone ?? errors.allowDecline}</p> : null}
      </section>
    </>
  );
}

export interface LanguagesPanelProps {
  languages: string[];
  defaultLanguage: string;
  lang: string;
  onEdit: (lang: string) => void;
  onAdd: (lang: string) => void;
  onRemove: (lang: string) => void;
  onDefault: (lang: string) => void;
}

/** Which languages the texts are written in, which one is edited, and the default (the fallback for every text). */
export function LanguagesPanel({ languages, defaultLanguage, lang, onEdit, onAdd, onRemove, onDefault }: LanguagesPanelProps) {
  const [adding, setAdding] = useState('');
  const [error, setError] = useState<string | undefined>();
  const add = () => {
    const tag = adding.trim();
    if (!LanguageCode.safeParse(tag).success) return setError('Use a language tag such as fr, de or pt-BR.');
    if (languages.includes(tag)) return setError(`${tag} is there already.`);
    setError(undefined);
    setAdding('');
    onAdd(tag);
  };
  return (
    <section class="panel" aria-labelledby="languages-title">
      <h2 id="languages-title">Languages</h2>
      <div class="grid-3">
        <SelectField label="Edit texts in" value={lang} options={languages} onChange={onEdit} />
        <SelectField label="Default language" value={defaultLanguage} options={languages} hint="Every text needs it; others fall back to it." onChange={onDefault} />
        <div class="field">
          <TextField label="Add a language" value={adding} error={error} placeholder="fr" onInput={setAdding} />
          <button type="button" class="button small" onClick={add}>
            Add language
          </button>
        </div>
      </div>
      {languages.length > 1 ? (
        <ul class="inline-list">
          {languages
            .filter((l) => l !== defaultLanguage)
            .map((l) => (
              <li key={l}>
                <code>{l}</code>{' '}
                <button type="button" class="button small danger-outline" aria-label={`Remove language ${l}`} onClick={() => onRemove(l)}>
                  Remove
                </button>
              </li>
            ))}
        </ul>
      ) : null}
    </section>
  );
}
