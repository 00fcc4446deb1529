import type { LocalizedText } from '@fixpoint/protocol';
import { TextAreaField, TextField } from '../../../components/Fields';
import { setText } from '../../../lib/campaign-form';

export interface LocalizedFieldProps {
  label: string;
  text: LocalizedText | undefined;
  /** The language being edited. */
  lang: string;
  defaultLanguage: string;
  onChange: (text: LocalizedText) => void;
  multiline?: boolean;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
}

/**
 * One text of the campaign in the language being edited. In another language than the default, the default text
 * shows as the hint, and an empty field means "show the default".
 */
export function LocalizedField({ label, text, lang, defaultLanguage, onChange, multiline, error, hint, required }: LocalizedFieldProps) {
  const value = text?.[lang] ?? '';
  const fallback = lang !== defaultLanguage ? text?.[defaultLanguage] : undefined;
  const fullHint = [hint, fallback ? `In ${defaultLanguage}: “${fallback}”. Left empty, it shows in ${defaultLanguage}.` : ''].filter(Boolean).join(' ') || undefined;
  const fullLabel = lang === defaultLanguage ? label : `${label} (${lang})`;
  const change = (v: string) => onChange(setText(text, lang, v, defaultLanguage));
  return multiline ? (
    <TextAreaField label={fullLabel} value={value} error={error} hint={fullHint} rows={3} required={required} onInput={change} />
  ) : (
    <TextField label={fullLabel} value={value} error={error} hint={fullHint} required={required} onInput={change} />
  );
}
