import type { QuestionType } from '@fixpoint/protocol';
import { Checkbox, SelectField, TextField } from '../../../components/Fields';
import { branchOptions, changeType, questionTypes, type FormQuestion } from '../../../lib/campaign-form';
import { errorFor, type FieldErrors } from '../../../lib/form-errors';
import { ChoicesEditor } from './ChoicesEditor';
import { LocalizedField } from './LocalizedField';

export interface QuestionCardProps {
  question: FormQuestion;
  index: number;
  questions: readonly FormQuestion[];
  lang: string;
  defaultLanguage: string;
  errors: FieldErrors;
  onChange: (question: FormQuestion) => void;
  onRename: (id: string) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}

const bands = [
  ['promoter', 'Promoters (9–10) go to'],
  ['passive', 'Passives (7–8) go to'],
  ['detractor', 'Detractors (0–6) go to'],
] as const;

const toInt = (v: string, fallback: number) => (/^\d+$/.test(v.trim()) ? Number(v) : fallback);

/** One question: its type, id and text, what its type needs, and where it leads next. */
export function QuestionCard({ question: q, index, questions, lang, defaultLanguage, errors, onChange, onRename, onMove, onRemove }: QuestionCardProps) {
  const at = `questions.${index}`;
  const set = (patch: Partial<FormQuestion>) => onChange({ ...q, ...patch });
  const targets = branchOptions(questions, index);
  const label = `Question ${index + 1}`;
  const text = (key: 'minLabel' | 'maxLabel' | 'placeholder', fieldLabel: string) => (
    <LocalizedField label={fieldLabel} text={q[key]} lang={lang} defaultLanguage={defaultLanguage} error={errorFor(errors, `${at}.${key}`)} onChange={(t) => set({ [key]: t })} />
  );
  return (
    <fieldset class="row-card question-card" aria-label={`${label} (${q.id})`}>
      <legend>
        {label} <span class="muted">· {questionTypes.find((t) => t.value === q.type)?.label}</span>
      </legend>
      <div class="grid-3">
        <SelectField label="Type" value={q.type} options={questionTypes} onChange={(type: QuestionType) => onChange(changeType(q, type))} />
        <TextField label="Id" value={q.id} error={errors[`${at}.id`]} hint="Names the answer in exports and branches." onInput={onRename} />
      </div>
      <LocalizedField
        label={q.type === 'info' ? 'Message' : 'Question'}
        text={q.text}
        lang={lang}
        defaultLanguage={defaultLanguage}
        multiline
        required
        error={errorFor(errors, `${at}.text`)}
        hint="Markdown: **bold**, *italic*, lists, links. {{parameter}} and {user} are filled in."
        onChange={(t) => set({ text: t })}
      />
      {q.type === 'single' || q.type === 'multiple' ? (
        <ChoicesEditor
          choices={q.choices}
          targets={q.type === 'single' ? targets : undefined}
          lang={lang}
          defaultLanguage={defaultLanguage}
          path={`${at}.choices`}
          errors={errors}
          questionLabel={label}
          onChange={(choices) => set({ choices })}
        />
      ) : null}
      {q.type === 'scale' ? (
        <div class="grid-2">
          <TextField label="Lowest value" inputMode="numeric" value={String(q.min)} error={errors[`${at}.min`]} onInput={(v) => set({ min: toInt(v, q.min) })} />
          <TextField label="Highest value" inputMode="numeric" value={String(q.max)} error={errors[`${at}.max`]} onInput={(v) => set({ max: toInt(v, q.max) })} />
        </div>
      ) : null}
      {q.type === 'scale' || q.type === 'nps' ? (
        <div class="grid-2">
          {text('minLabel', 'Label of the lowest value')}
          {text('maxLabel', 'Label of the highest value')}
        </div>
      ) : null}
      {q.type === 'nps' ? (
        <div class="grid-3">
          {bands.map(([band, bandLabel]) => (
            <SelectField
              key={band}
              label={bandLabel}
              value={q.branches[band] ?? ''}
              error={errors[`${at}.branches.${band}`]}
              options={[{ value: '', label: 'The question’s default' }, ...targets]}
              onChange={(next) => set({ branches: { ...q.branches, [band]: next || undefined } })}
            />
          ))}
        </div>
      ) : null}
      {q.type === 'text' ? (
        <div class="grid-2">
          <TextField label="Longest answer (characters)" inputMode="numeric" value={String(q.maxLength)} error={errors[`${at}.maxLength`]} onInput={(v) => set({ maxLength: toInt(v, q.maxLength) })} />
          {text('placeholder', 'Placeholder')}
          <Checkbox label="An answer is required" checked={q.required} onChange={(required) => set({ required })} />
        </div>
      ) : null}
      <SelectField
        label="Then go to"
        value={q.next ?? ''}
        error={errors[`${at}.next`]}
        hint={q.type === 'single' || q.type === 'nps' ? 'Used when the chosen answer has no branch of its own.' : undefined}
        options={[{ value: '', label: index + 1 < questions.length ? 'The next question' : 'The end' }, ...targets]}
        onChange={(next) => set({ next: next || undefined })}
      />
      <div class="form-actions">
        <button type="button" class="button small" disabled={index === 0} aria-label={`Move up ${label.toLowerCase()}`} onClick={() => onMove(index - 1)}>
          Move up
        </button>
        <button type="button" class="button small" disabled={index === questions.length - 1} aria-label={`Move down ${label.toLowerCase()}`} onClick={() => onMove(index + 1)}>
          Move down
        </button>
        <button type="button" class="button small danger-outline" disabled={questions.length === 1} aria-label={`Remove ${label}`} onClick={onRemove}>
          Remove
        </button>
      </div>
    </fieldset>
  );
}
