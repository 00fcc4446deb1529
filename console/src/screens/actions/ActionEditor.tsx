import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { actionsApi, type ActionWithVersion, type MeT } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { approvalLabels } from '../../lib/approvals';
import { hasPermission } from '../../lib/access';
import { definitionFromForm, emptyActionForm, formFromDefinition, type ActionForm } from '../../lib/action-form';
import { detailsToErrors, summarizeErrors, type FieldErrors } from '../../lib/form-errors';
import { formatDateTime } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';
import { navigate } from '../../stores/router';
import { showNotice } from '../../stores/notice';
import { ActionSettings } from './ActionSettings';
import { SelfServiceSection } from './SelfServiceSection';
import { SelfServiceUse } from './SelfServiceUse';
import { OutputsSection, ParametersSection } from './ParametersSection';
import { ScriptsSection } from './ScriptsSection';
import { LabelName } from '../../components/LabelName';

export interface ActionEditorProps {
  me: MeT;
  /** null for a new action. */
  slug: string | null;
}

/** Creates an action or saves a new version of one; readers without actions:edit see it read-only. */
export function ActionEditor({ me, slug }: ActionEditorProps) {
  const canEdit = hasPermission(me, 'actions:edit');
  const [action, setAction] = useState<ActionWithVersion | null>(null);
  const [form, setForm] = useState<ActionForm>(emptyActionForm);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!slug) return;
    actionsApi.get(slug).then(
      (a) => {
        setAction(a);
        setForm(formFromDefinition(a.current));
      },
      setLoadError,
    );
  }, [slug]);

  const update = (patch: Partial<ActionForm>) => setForm((f) => ({ ...f, ...patch }));

  const save = async (event: Event) => {
    event.preventDefault();
    setSaveError(null);
    const result = definitionFromForm(form);
    if (!result.ok) {
      setErrors(result.errors);
      queueMicrotask(() => summaryRef.current?.focus());
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      if (!action) {
        const created = await actionsApi.create(result.definition);
        const to = pathFor('action', { slug: created.slug });
        showNotice(`Action “${created.name}” created as version 1.`, 'success', to);
        navigate(to, { replace: true });
        return;
      }
      const saved = await actionsApi.update(action.slug, result.definition, action.latestVersion);
      showNotice(saved.latestVersion === action.latestVersion ? 'Nothing changed, so no new version was added.' : `Saved as version ${saved.latestVersion}.`);
      setAction(saved);
      setForm(formFromDefinition(saved.current));
    } catch (e) {
      setSaveError(e);
      if (e instanceof ApiError && e.code === 'validation_failed') setErrors(detailsToErrors(e.details));
      queueMicrotask(() => summaryRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  const archive = async () => {
    if (!action) return;
    try {
      await actionsApi.archive(action.slug);
      showNotice(`Action “${action.name}” archived.`, 'success', pathFor('actions'));
      navigate(pathFor('actions'));
    } catch (e) {
      setSaveError(e);
    }
  };

  if (slug && loadError) return <ErrorMessage error={loadError} title="Could not load the action" />;
  if (slug && !action) return <Loading />;
  const errorCount = Object.keys(errors).length;
  const title = action ? action.name : 'New action';
  return (
    <>
      <PageHeader
        title={title}
        description={
          action ? (
            <>
              <code>{action.slug}</code> · version {action.latestVersion} · saved {formatDateTime(action.current.createdAt)} by <LabelName label={action.current.createdBy} />
              <span class="badge">{approvalLabels[action.current.approval.state]}</span>
              {action.archived ? <span class="badge">archived</span> : null}
            </>
          ) : (
            'A script per platform with typed parameters and outputs. Saving creates version 1; later saves add versions.'
          )
        }
      >
        {action ? (
          <>
            <Link class="button" href={pathFor('action-history', { slug: action.slug })}>
              History
            </Link>
            <a class="button" href={actionsApi.exportUrl(action.slug, 'yaml')} download>
              Export YAML
            </a>
            <a class="button" href={actionsApi.exportUrl(action.slug, 'json')} download>
              Export JSON
            </a>
          </>
        ) : null}
      </PageHeader>
      {!canEdit ? <p class="alert alert-info">You can read this action; changing it needs the actions:edit permission.</p> : null}
      <div tabIndex={-1} ref={summaryRef} class="summary-anchor">
        <ErrorMessage error={saveError} title="Could not save" />
        {errorCount > 0 && !saveError ? (
          <div class="alert alert-error" role="alert">
            <div>
              Fix {errorCount === 1 ? 'the field' : `the ${errorCount} fields`} marked below before saving:
              <ul class="error-list">
                {summarizeErrors(errors).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
          </div>
        ) : null}
      </div>
      <form onSubmit={save} aria-label={action ? `Edit ${action.name}` : 'New action'} novalidate>
        <fieldset disabled={!canEdit || busy} class="plain">
          <legend class="visually-hidden">Action definition</legend>
          <ActionSettings form={form} errors={errors} isNew={!action} onChange={update} />
          {form.triggers.includes('self_service') ? <SelfServiceSection value={form.selfService} errors={errors} onChange={(selfService) => update({ selfService })} /> : null}
          <ScriptsSection
            scripts={form.scripts}
            errors={errors}
            readOnly={!canEdit}
            onChange={(platform, patch) => setForm((f) => ({ ...f, scripts: { ...f.scripts, [platform]: { ...f.scripts[platform], ...patch } } }))}
          />
          <ParametersSection parameters={form.parameters} errors={errors} onChange={(parameters) => update({ parameters })} />
          <OutputsSection outputs={form.outputs} errors={errors} onChange={(outputs) => update({ outputs })} />
        </fieldset>
        {canEdit ? (
          <div class="form-actions">
            <button type="submit" class="button primary" disabled={busy}>
              {busy ? 'Saving…' : action ? 'Save new version' : 'Create action'}
            </button>
            <Link class="button" href={pathFor('actions')}>
              Cancel
            </Link>
            {action && !action.archived ? (
              <ConfirmButton label="Archive" small={false} question={`Archive “${action.name}”? It can no longer be launched.`} onConfirm={archive} />
            ) : null}
          </div>
        ) : null}
      </form>
      {action?.current.triggers.includes('self_service') ? <SelfServiceUse slug={action.slug} /> : null}
    </>
  );
}
