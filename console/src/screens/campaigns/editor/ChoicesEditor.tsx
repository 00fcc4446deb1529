import { TextField, SelectField } from '../../../components/Fields';
import type { FormChoice } from '../../../lib/campaign-form';
import { errorFor, type FieldErrors } from '../../../lib/form-errors';
import { LocalizedField } from './LocalizedField';

export interface ChoicesEditorProps {
  choices: FormChoice[];
  /** Branch targets; absent for multiple choice, where a choice cannot branch. */
  targets?: { value: string; label: string }[];
  lang: string;
  defaultLanguage: string;
  /** Error key prefix, e.g. `questions.2.choices`. */
  path: string;
  errors: FieldErrors;
  questionLabel: string;
  onChange: (choices: FormChoice[]) => void;
}

/** The choices of a single or multiple choice question: id, label, and (single choice) where each one leads. */
export function ChoicesEditor({ choices, targets, lang, defaultLanguage, path, errors, questionLabel, onChange }: ChoicesEditorProps) {
  const update = (i: number, patch: Partial<FormChoice>) => onChange(choices.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const add = () => {
    let n = choices.length + 1;
    while (choices.some((c) => c.id === `c${n}`)) n++;
    onChange([...choices, { id: `c${n}`, label: { [lang]: '' } }]);
  };
  return (
    <fieldset class="group choices">
      <legend>Choices</legend>
      {errors[path] ? <p class="field-error">{errors[path]}</p> : null}
      {choices.map((c, i) => (
        <div class="choice-row" key={i} role="group" aria-label={`${questionLabel}, choice ${i + 1}`}>
          <LocalizedField
            label="Label"
            text={c.label}
            lang={lang}
            defaultLanguage={defaultLanguage}
            error={errorFor(errors, `${path}.${i}.label`)}
            onChange={(label) => update(i, { label })}
          />
          <TextField label="Id" value={c.id} error={errors[`${path}.${i}.id`]} onInput={(id) => update(i, { id })} />
          {targets ? (
            <SelectField
              label="Then go to"
              value={c.next ?? ''}
              error={errors[`${path}.${i}.next`]}
              options={[{ value: '', label: 'The question’s default' }, ...targets]}
              onChange={(next) => update(i, { next: next || undefined })}
            />
          ) : null}
          <button type="button" class="button small danger-outline" aria-label={`Remove choice ${i + 1}`} onClick={() => onChange(choices.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" class="button small" onClick={add}>
        Add choice
      </button>
    </fieldset>
  );
}
