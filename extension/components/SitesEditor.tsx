/** @module The sites the launcher works on: built-in adapters on or off with their patterns, and generic sites. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { defaultDeviceLabelsFor } from '../utils/adapters/labels';
import { builtinSiteIds, builtinSiteLabels, type BuiltinSiteId, type Sites } from '../utils/settings';
import { describePreview, type PreviewState } from './options-store';
import { formFromSites, genericSiteFromForm, newGenericSite, sitesFromForm, type GenericForm, type SitesForm } from './sites-form';

export interface SitesEditorProps {
  sites: Sites;
  /** Pattern → whether the user granted access to its origin. */
  granted: Record<string, boolean>;
  busy: boolean;
  /** Generic site id → what its preview read. */
  previews?: Record<string, PreviewState>;
  onSave(sites: unknown): void;
  /** Reads a generic site's unsaved settings on an open tab; `ask` requests access (from a click only). */
  onPreview?(id: string, site: unknown, ask: boolean): void;
}

const defaultLabels = (tool: 'jira' | 'zendesk' | 'generic') => defaultDeviceLabelsFor[tool].join(', ');

const genericFields: [keyof GenericForm, string, string][] = [
  ['label', 'Name', 'Acme helpdesk'],
  ['pattern', 'Pages (match pattern)', 'https://helpdesk.acme.example/tickets/*'],
  ['deviceSelector', 'Device: CSS selector', '.asset-name'],
  ['deviceRegex', 'Device: regular expression', String.raw`Device name\s+(\S+)`],
  ['deviceLabels', 'Device: field labels, used without selector and expression (comma-separated)', defaultLabels('generic')],
  ['userSelector', 'User: CSS selector', '.requester'],
  ['userRegex', 'User: regular expression', String.raw`Requester\s+([^\n\t]+)`],
  ['ticketSelector', 'Ticket: CSS selector', '.ticket-id'],
  ['ticketRegex', 'Ticket: regular expression', String.raw`\b(HD-\d+)\b`],
  ['commentSelector', 'Comment box: CSS selector', 'textarea[name=reply]'],
];

/** What the preview read on the open tab, or why it could not. */
function Preview({ state }: { state: PreviewState | undefined }) {
  if (!state) return null;
  if (state.kind === 'busy') return <p class="muted" role="status">Reading the open tab…</p>;
  if (state.kind === 'problem') return <p class="notice error" role="status">{state.text}</p>;
  return (
    <div class="preview" role="status" aria-label="Preview">
      <p>Here I read, on {state.preview.url}:</p>
      <ul>{describePreview(state.preview.facts).map((line) => <li key={line}>{line}</li>)}</ul>
    </div>
  );
}

/** Re-reads a previewed site while its fields are edited, once typing pauses. */
function useLivePreview(form: GenericForm, previewed: boolean, onPreview: SitesEditorProps['onPreview']) {
  const key = JSON.stringify(form);
  const last = useRef(key);
  useEffect(() => {
    if (!previewed || !onPreview || key === last.current) return;
    const timer = setTimeout(() => {
      last.current = key;
      onPreview(form.id, genericSiteFromForm(form), false);
    }, 400);
    return () => clearTimeout(timer);
  }, [key, previewed]);
}

function GenericSiteFields({ form, onChange, preview, onPreview }: { form: GenericForm; onChange(patch: Partial<GenericForm>): void; preview?: PreviewState; onPreview: SitesEditorProps['onPreview'] }) {
  useLivePreview(form, preview !== undefined, onPreview);
  return (
    <>
      {genericFields.map(([key, label, placeholder]) => (
        <div key={key} class="stack">
          <label for={`${form.id}-${key}`}>{label}</label>
          <input id={`${form.id}-${key}`} value={form[key]} placeholder={placeholder} onInput={(e) => onChange({ [key]: e.currentTarget.value })} />
        </div>
      ))}
      {onPreview && (
        <button type="button" onClick={() => onPreview(form.id, genericSiteFromForm(form), true)}>
          Preview on the open tab
        </button>
      )}
      <Preview state={preview} />
    </>
  );
}

function Access({ patterns, granted }: { patterns: string[]; granted: Record<string, boolean> }) {
  if (!patterns.length) return null;
  const all = patterns.every((p) => granted[p]);
  return <span class={all ? 'ok' : 'muted'}>{all ? 'Access granted' : 'Access not granted yet'}</span>;
}

export function SitesEditor({ sites, granted, busy, previews = {}, onSave, onPreview }: SitesEditorProps) {
  const [form, setForm] = useState<SitesForm>(() => formFromSites(sites));
  const setBuiltin = (id: BuiltinSiteId, patch: Partial<SitesForm['builtin'][BuiltinSiteId]>) =>
    setForm({ ...form, builtin: { ...form.builtin, [id]: { ...form.builtin[id], ...patch } } });
  const setGeneric = (i: number, patch: Partial<GenericForm>) =>
    setForm({ ...form, generic: form.generic.map((g, j) => (j === i ? { ...g, ...patch } : g)) });
  return (
    <form aria-labelledby="sites-title" class="stack" onSubmit={(e) => { e.preventDefault(); onSave(sitesFromForm(form)); }}>
      <h2 id="sites-title">Sites</h2>
      <p class="muted">The launcher runs only on the sites switched on here, once you allow access to them.</p>
      {builtinSiteIds.map((id) => {
        const f = form.builtin[id];
        return (
          <fieldset key={id} class="stack">
            <legend>
              <label>
                <input type="checkbox" checked={f.enabled} onChange={(e) => setBuiltin(id, { enabled: e.currentTarget.checked })} /> {builtinSiteLabels[id]}
              </label>{' '}
              {f.enabled && <Access patterns={sites.builtin[id].enabled ? sites.builtin[id].patterns : []} granted={granted} />}
            </legend>
            <label for={`${id}-patterns`}>Pages (one match pattern per line)</label>
            <textarea id={`${id}-patterns`} rows={2} value={f.patterns} onInput={(e) => setBuiltin(id, { patterns: e.currentTarget.value })} />
            {(id === 'jira' || id === 'zendesk') && (
              <>
                <label for={`${id}-labels`}>Device field labels (comma-separated)</label>
                <input id={`${id}-labels`} value={f.labels} placeholder={defaultLabels(id)} onInput={(e) => setBuiltin(id, { labels: e.currentTarget.value })} />
              </>
            )}
            {id === 'jira' && (
              <>
                <label for="jira-regex">Device name pattern in the summary (regular expression)</label>
                <input id="jira-regex" value={f.regex} onInput={(e) => setBuiltin(id, { regex: e.currentTarget.value })} />
              </>
            )}
          </fieldset>
        );
      })}
      <h3>Other sites</h3>
      {form.generic.map((g, i) => (
        <fieldset key={g.id} class="stack">
          <legend>
            {g.label || 'New site'} {sites.generic.some((s) => s.id === g.id) && <Access patterns={[g.pattern]} granted={granted} />}
          </legend>
          <GenericSiteFields form={g} onChange={(patch) => setGeneric(i, patch)} preview={previews[g.id]} onPreview={onPreview} />
          <button type="button" onClick={() => setForm({ ...form, generic: form.generic.filter((_, j) => j !== i) })}>Remove {g.label || 'this site'}</button>
        </fieldset>
      ))}
      <div class="row">
        <button type="button" onClick={() => setForm({ ...form, generic: [...form.generic, newGenericSite(form.generic.map((g) => g.id))] })}>Add a site</button>
        <button type="submit" disabled={busy}>Save sites and allow access</button>
      </div>
    </form>
  );
}
