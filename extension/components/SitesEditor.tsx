/** @module The sites the launcher works on: built-in adapters on or off with their patterns, and generic sites. */
import { useState } from 'preact/hooks';
import { builtinSiteIds, builtinSiteLabels, type BuiltinSiteId, type Sites } from '../utils/settings';
import { formFromSites, newGenericSite, sitesFromForm, type GenericForm, type SitesForm } from './sites-form';

export interface SitesEditorProps {
  sites: Sites;
  /** Pattern → whether the user granted access to its origin. */
  granted: Record<string, boolean>;
  busy: boolean;
  onSave(sites: unknown): void;
}

const genericFields: [keyof GenericForm, string, string][] = [
  ['label', 'Name', 'Acme helpdesk'],
  ['pattern', 'Pages (match pattern)', 'https://helpdesk.acme.example/tickets/*'],
  ['deviceSelector', 'Device: CSS selector', '.asset-name'],
  ['deviceRegex', 'Device: regular expression', String.raw`\b(PC-\d+)\b`],
  ['userSelector', 'User: CSS selector', '.requester'],
  ['ticketSelector', 'Ticket: CSS selector', '.ticket-id'],
  ['ticketRegex', 'Ticket: regular expression', String.raw`\b(HD-\d+)\b`],
  ['commentSelector', 'Comment box: CSS selector', 'textarea[name=reply]'],
];

function Access({ patterns, granted }: { patterns: string[]; granted: Record<string, boolean> }) {
  if (!patterns.length) return null;
  const all = patterns.every((p) => granted[p]);
  return <span class={all ? 'ok' : 'muted'}>{all ? 'Access granted' : 'Access not granted yet'}</span>;
}

export function SitesEditor({ sites, granted, busy, onSave }: SitesEditorProps) {
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
                <input id={`${id}-labels`} value={f.labels} placeholder="Device, Affected device" onInput={(e) => setBuiltin(id, { labels: e.currentTarget.value })} />
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
          {genericFields.map(([key, label, placeholder]) => (
            <div key={key} class="stack">
              <label for={`${g.id}-${key}`}>{label}</label>
              <input id={`${g.id}-${key}`} value={g[key]} placeholder={placeholder} onInput={(e) => setGeneric(i, { [key]: e.currentTarget.value })} />
            </div>
          ))}
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
