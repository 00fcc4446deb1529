import { initialValues, type FormValues } from '@fixpoint/launcher';
import { useEffect, useRef, useState } from 'preact/hooks';
import { detectionsApi, type DetectionRule } from '../../api/automation';
import type { MeT } from '../../api/resources';
import { ActionChoice, useAction } from '../../components/ActionChoice';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DevicePreview } from '../../components/DevicePreview';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Checkbox, TextAreaField, TextField } from '../../components/Fields';
import { SavedQueryField } from '../../components/SavedQueryField';
import { PageHeader } from '../../components/PageHeader';
import { ParameterFields } from '../../components/ParameterFields';
import { QueryEditor, type PositionedError } from '../../components/QueryEditor';
import { hasPermission } from '../../lib/access';
import {
  checkDetection, checkParameters, detectionFormFrom, emptyDetectionForm, ruleKindOf, ruleKinds, valuesFromParameters, type DetectionForm,
} from '../../lib/automation-form';
import { pathFor } from '../../router/routes';
import { showNotice } from '../../stores/notice';
import { navigate } from '../../stores/router';
import { DetectionInsights } from './DetectionInsights';
import { GuardsFields } from './GuardsFields';
import { RuleKindField } from './RuleKindField';
import { RuleState } from './RuleState';
import { ErrorSummary, useSaveErrors } from './save-errors';
import { LabelName } from '../../components/LabelName';

export interface DetectionViewProps {
  me: MeT;
  /** null for a new rule. */
  id: string | null;
}

/** Creates or changes a detection rule; shows its health, a dry run, and the runs it started. */
export function DetectionView({ me, id }: DetectionViewProps) {
  const canEdit = hasPermission(me, 'actions:edit');
  const [rule, setRule] = useState<DetectionRule | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [form, setForm] = useState<DetectionForm>(emptyDetectionForm);
  const [values, setValues] = useState<FormValues>({});
  const initial = useRef<FormValues | undefined>(undefined);
  const [conditionError, setConditionError] = useState<PositionedError | null>(null);
  const [busy, setBusy] = useState(false);
  const saving = useSaveErrors();
  const { action, error: actionError } = useAction(form.action);

  useEffect(() => {
    if (!id) return;
    detectionsApi.get(id).then((r) => {
      setRule(r);
      setForm(detectionFormFrom(r));
    }, setLoadError);
  }, [id]);
  useEffect(() => {
    if (!action) return;
    const stored = rule && rule.actionSlug === action.slug ? valuesFromParameters(rule.parameters, action.current.parameters) : undefined;
    initial.current = stored;
    setValues(stored ?? initialValues(action.current.parameters));
  }, [action, rule?.id]);

  const update = (patch: Partial<DetectionForm>) => setForm((f) => ({ ...f, ...patch }));
  const save = async (event: Event) => {
    event.preventDefault();
    saving.reset();
    setConditionError(null);
    const params = checkParameters(action?.current.parameters ?? [], values, initial.current);
    const check = checkDetection(form, params.ok ? params.parameters : undefined, action?.current.runAs);
    if (!params.ok || !check.ok) return saving.fail({ ...(params.ok ? {} : params.errors), ...(check.ok ? {} : check.errors) });
    setBusy(true);
    try {
      let saved: DetectionRule;
      if (!rule) saved = await detectionsApi.create(check.input);
      else {
        const { parameters, ...rest } = check.input;
        saved = await detectionsApi.update(rule.id, params.ok && params.parameters ? { ...rest, parameters } : rest);
      }
      const to = pathFor('detection', { id: saved.id });
      showNotice(`Detection rule “${saved.name}” saved.`, 'success', to);
      if (rule) setRule(saved);
      else navigate(to, { replace: true });
    } catch (e) {
      setConditionError(saving.failApi(e, form.condition));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    try {
      await detectionsApi.remove(rule!.id);
      showNotice(`Detection rule “${rule!.name}” deleted.`, 'success', pathFor('detections'));
      navigate(pathFor('detections'));
    } catch (e) {
      saving.failApi(e, '');
    }
  };

  if (id && loadError) return <ErrorMessage error={loadError} title="Could not load the detection rule" />;
  if (id && !rule) return <Loading />;
  const errors = saving.errors;
  const paramErrors = Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith('parameters.')).map(([k, v]) => [k.slice(11), v]));
  return (
    <>
      <PageHeader
        title={rule ? rule.name : 'New detection rule'}
        description={
          rule ? (
            <>
              <RuleState rule={rule} /> {ruleKinds.find((k) => k.value === ruleKindOf(rule))!.label.toLowerCase()}: runs <code>{rule.actionSlug}</code> as{' '}
              {rule.runAs === 'user' ? 'the logged-in user' : 'the system'}, with the
              rights and device scope of {rule.owner ? <LabelName label={rule.owner} /> : 'nobody yet'}
            </>
          ) : (
            'When a device starts matching the condition, the action runs on it, within the guards below.'
          )
        }
      >
        {rule && canEdit ? <ConfirmButton label="Delete" small={false} question={`Delete “${rule.name}” and its history?`} onConfirm={remove} /> : null}
      </PageHeader>
      {!canEdit ? <p class="alert alert-info">You can read this rule; changing it needs the actions:edit permission.</p> : null}
      {/* An existing rule opens on how it is doing; its settings follow. */}
      {rule ? <DetectionInsights rule={rule} canEdit={canEdit} onResumed={setRule} /> : null}
      <ErrorSummary saving={saving} />
      <form onSubmit={save} aria-label={rule ? `Edit ${rule.name}` : 'New detection rule'} novalidate>
        <fieldset class="plain" disabled={!canEdit || busy}>
          <legend class="visually-hidden">Detection rule</legend>
          <section class="panel" aria-labelledby="rule-title">
            <h2 id="rule-title">Rule</h2>
            <TextField label="Name" required value={form.name} error={errors.name} onInput={(name) => update({ name })} />
            <TextAreaField label="Description" value={form.description} rows={2} onInput={(description) => update({ description })} />
            <QueryEditor
              label="Condition"
              required
              value={form.condition}
              onInput={(condition) => update({ condition })}
              error={conditionError}
              rows={2}
              placeholder={'disk.free_pct < 10 and platform == "windows"'}
              hint="The part after devices | where, over facts and outputs (remote_action.<action>.<output>)."
            />
            {errors.condition && !conditionError ? <p class="field-error">{errors.condition}</p> : null}
            <DevicePreview query={form.condition} prefix="devices | where " onError={setConditionError} label="Show devices matching now" />
            <RuleKindField value={form.kind} error={errors.kind} onChange={(kind) => update({ kind })} />
            <SavedQueryField
              value={form.savedQuery}
              error={errors.savedQuery}
              hint="A dynamic category: devices that join it later are watched too. Changing the saved query re-evaluates the rule."
              anyLabel="Any (the condition alone)"
              onChange={(savedQuery) => update({ savedQuery })}
            />
            <div class="grid-2">
              <ActionChoice value={form.action} trigger="detection" error={errors.action} onChange={(a) => update({ action: a })} />
            </div>
            <ErrorMessage error={actionError} />
            {action ? (
              <fieldset class="group">
                <legend>Parameters of {action.name}</legend>
                <ParameterFields decls={action.current.parameters} values={values} errors={paramErrors} keepSecretsHint={Boolean(rule)} onChange={(n, v) => setValues({ ...values, [n]: v })} />
              </fieldset>
            ) : null}
            <Checkbox label="Enabled" checked={form.enabled} hint="A disabled rule keeps its history and fires nothing." onChange={(enabled) => update({ enabled })} />
          </section>
          <GuardsFields guards={form.guards} errors={errors} onChange={(guards) => update({ guards })} />
        </fieldset>
        {canEdit ? (
          <div class="form-actions">
            <button type="submit" class="button primary" disabled={busy}>
              {busy ? 'Saving…' : rule ? 'Save changes' : 'Create rule'}
            </button>
            {rule ? <span class="muted small">A new condition, action or parameters starts the rule afresh, with a new rollout.</span> : null}
          </div>
        ) : null}
      </form>
    </>
  );
}
