/**
 * @module The campaign editor, loaded on demand: settings, languages, parameters, every question type with its
 * branching, and the tray client's prompt as a live preview beside the form.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { campaignsApi, type CampaignWithVersion } from '../../api/campaigns';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { LocalizedField } from './editor/LocalizedField';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { SelectField } from '../../components/Fields';
import {
  checkCampaign, definitionFromForm, emptyCampaignForm, formFromDefinition, formLanguages, moveQuestion, newQuestion, questionTypes,
  removeLanguage, removeQuestion, renameQuestion, type CampaignForm,
} from '../../lib/campaign-form';
import { detailsToErrors, errorFor, summarizeErrors, type FieldErrors } from '../../lib/form-errors';
import { pathFor } from '../../router/routes';
import { showNotice } from '../../stores/notice';
import { navigate } from '../../stores/router';
import { CampaignPreview } from './CampaignPreview';
import { ParametersEditor } from './editor/ParametersEditor';
import { QuestionCard } from './editor/QuestionCard';
import { LanguagesPanel, SettingsSection } from './editor/SettingsSection';
import type { QuestionType } from '@fixpoint/protocol';

export interface CampaignEditorProps {
  /** Id or slug of the campaign to edit; null for a new one. */
  id: string | null;
}

export function CampaignEditor({ id }: CampaignEditorProps) {
  const [campaign, setCampaign] = useState<CampaignWithVersion | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [form, setForm] = useState<CampaignForm>(() => emptyCampaignForm());
  const [added, setAdded] = useState<string[]>([]);
  const [lang, setLang] = useState('en');
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [newType, setNewType] = useState<QuestionType>('single');
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!id) return;
    campaignsApi.get(id).then((c) => {
      setCampaign(c);
      setForm(formFromDefinition(c.current));
      setLang(c.current.defaultLanguage);
    }, setLoadError);
  }, [id]);

  const check = useMemo(() => checkCampaign(form), [form]);
  const languages = formLanguages(form, added);
  const defaultLanguage = form.defaultLanguage ?? 'en';
  const errors: FieldErrors = attempted ? { ...(check.ok ? {} : check.errors), ...serverErrors } : {};
  const update = (patch: Partial<CampaignForm>) => setForm((f) => ({ ...f, ...patch }));
  const setQuestions = (questions: CampaignForm['questions']) => update({ questions });
  const preview = useMemo(() => definitionFromForm(form), [form]);

  const save = async (event: Event) => {
    event.preventDefault();
    setAttempted(true);
    setServerErrors({});
    setSaveError(null);
    if (!check.ok) return queueMicrotask(() => summary.current?.focus());
    setBusy(true);
    try {
      const saved = campaign
        ? await campaignsApi.update(campaign.slug, check.definition, campaign.latestVersion)
        : await campaignsApi.create(check.definition);
      const to = pathFor('campaign', { id: saved.slug });
      const unchanged = campaign && saved.latestVersion === campaign.latestVersion;
      showNotice(unchanged ? 'Nothing changed, so no new version was added.' : `Campaign “${saved.name}” saved as version ${saved.latestVersion}.`, 'success', to);
      navigate(to);
    } catch (e) {
      setSaveError(e);
      if (e instanceof ApiError && e.code === 'validation_failed') setServerErrors(detailsToErrors(e.details));
      queueMicrotask(() => summary.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  if (id && loadError) return <ErrorMessage error={loadError} title="Could not load the campaign" />;
  if (id && !campaign) return <Loading />;
  const errorLines = summarizeErrors(errors);
  return (
    <>
      <PageHeader
        title={campaign ? `Edit ${campaign.name}` : 'New campaign'}
        description={
          campaign
            ? `Saving adds version ${campaign.latestVersion + 1}.${campaign.status === 'published' ? ' Users keep getting the published version until you republish.' : ''}`
            : 'Write the questions, check them in the preview, save as a draft, then publish.'
        }
      />
      <div tabIndex={-1} ref={summary}>
        <ErrorMessage error={saveError} title="Could not save" />
        {errorLines.length && !saveError ? (
          <div class="alert alert-error" role="alert">
            <div>
              Fix {errorLines.length === 1 ? 'this problem' : `these ${errorLines.length} problems`} before saving:
              <ul class="error-list">
                {errorLines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
          </div>
        ) : null}
        {check.ok && check.warnings.length ? (
          <div class="alert alert-info" role="status">
            <div>
              Worth a look:
              <ul class="error-list">
                {check.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          </div>
        ) : null}
      </div>
      <div class="editor-layout">
        <form class="editor-main" onSubmit={save} aria-label={campaign ? `Edit ${campaign.name}` : 'New campaign'} novalidate>
          <fieldset class="plain" disabled={busy}>
            <legend class="visually-hidden">Campaign definition</legend>
            <SettingsSection form={form} errors={errors} isNew={!campaign} lang={lang} onChange={update} />
            <LanguagesPanel
              languages={languages}
              defaultLanguage={defaultLanguage}
              lang={lang}
              onEdit={setLang}
              onAdd={(l) => (setAdded([...added, l]), setLang(l))}
              onRemove={(l) => {
                setForm(removeLanguage(form, l));
                setAdded(added.filter((a) => a !== l));
                if (lang === l) setLang(defaultLanguage);
              }}
              onDefault={(defaultLanguage) => update({ defaultLanguage })}
            />
            <ParametersEditor parameters={form.parameters ?? []} errors={errors} onChange={(parameters) => update({ parameters })} />
            <section aria-labelledby="questions-title">
              <h2 id="questions-title">Questions</h2>
              {errors.questions ? <p class="field-error">{errors.questions}</p> : null}
              {form.questions.map((q, i) => (
                <QuestionCard
                  key={i}
                  question={q}
                  index={i}
                  questions={form.questions}
                  lang={lang}
                  defaultLanguage={defaultLanguage}
                  errors={errors}
                  onChange={(next) => setQuestions(form.questions.map((old, j) => (j === i ? next : old)))}
                  onRename={(newId) => setQuestions(renameQuestion(form.questions, i, newId))}
                  onMove={(to) => setQuestions(moveQuestion(form.questions, i, to))}
                  onRemove={() => setQuestions(removeQuestion(form.questions, i))}
                />
              ))}
              <div class="row add-question">
                <SelectField label="New question type" value={newType} options={questionTypes} onChange={setNewType} />
                <button
                  type="button"
                  class="button"
                  onClick={() => setQuestions([...form.questions, newQuestion(newType, form.questions.map((q) => q.id), defaultLanguage)])}
                >
                  Add question
                </button>
              </div>
            </section>
            <section class="panel" aria-labelledby="final-title">
              <h2 id="final-title">Final message</h2>
              <LocalizedField
                label="Shown after the last answer"
                text={form.finalMessage}
                lang={lang}
                defaultLanguage={defaultLanguage}
                multiline
                required
                error={errorFor(errors, 'finalMessage')}
                onChange={(finalMessage) => update({ finalMessage })}
              />
            </section>
          </fieldset>
          <div class="form-actions sticky-actions">
            <button type="submit" class="button primary" disabled={busy}>
              {busy ? 'Saving…' : campaign ? 'Save new version' : 'Create campaign'}
            </button>
            <Link class="button" href={campaign ? pathFor('campaign', { id: campaign.slug }) : pathFor('campaigns')}>
              Cancel
            </Link>
          </div>
        </form>
        <aside class="editor-side">
          <CampaignPreview definition={preview} languages={languages} parameters={form.parameters ?? []} />
        </aside>
      </div>
    </>
  );
}
