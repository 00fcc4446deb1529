import type { Platform } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { Checkbox, SelectField } from '../../components/Fields';
import { CodeEditor } from '../../editor/CodeEditor';
import { platformShells, type ActionForm, type ScriptField } from '../../lib/action-form';
import type { FieldErrors } from '../../lib/form-errors';

export interface ScriptsSectionProps {
  scripts: ActionForm['scripts'];
  errors: FieldErrors;
  readOnly: boolean;
  onChange: (platform: Platform, patch: Partial<ScriptField>) => void;
}

const platforms: { id: Platform; label: string }[] = [
  { id: 'windows', label: 'Windows' },
  { id: 'macos', label: 'macOS' },
  { id: 'linux', label: 'Linux' },
];

/** One script per platform, in tabs (arrow keys move between them, as in the ARIA tabs pattern). */
export function ScriptsSection({ scripts, errors, readOnly, onChange }: ScriptsSectionProps) {
  const [active, setActive] = useState<Platform>(platforms.find((p) => scripts[p.id].enabled)?.id ?? 'windows');
  const handleKey = (event: KeyboardEvent) => {
    const index = platforms.findIndex((p) => p.id === active);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = platforms[(index + step + platforms.length) % platforms.length]!;
    setActive(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  const script = scripts[active];
  return (
    <section class="panel" aria-labelledby="scripts-title">
      <h2 id="scripts-title">Scripts</h2>
      <p class="hint">
        Parameters reach the script as environment variables <code>FIXPOINT_PARAM_NAME</code>; write outputs with{' '}
        <code>fixpoint output NAME VALUE</code>.
      </p>
      {errors.scripts ? (
        <p class="field-error" role="alert">
          {errors.scripts}
        </p>
      ) : null}
      <div role="tablist" aria-label="Platform" class="tabs" onKeyDown={handleKey}>
        {platforms.map((p) => (
          <button
            key={p.id}
            type="button"
            role="tab"
            id={`tab-${p.id}`}
            aria-selected={p.id === active}
            aria-controls={`panel-${p.id}`}
            tabIndex={p.id === active ? 0 : -1}
            onClick={() => setActive(p.id)}
          >
            {p.label}
            {scripts[p.id].enabled ? ' ✓' : ''}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${active}`} aria-labelledby={`tab-${active}`} class="tabpanel">
        <Checkbox
          label={`Runs on ${platforms.find((p) => p.id === active)!.label}`}
          checked={script.enabled}
          disabled={readOnly}
          onChange={(enabled) => onChange(active, { enabled })}
        />
        {script.enabled ? (
          <>
            <SelectField
              label="Shell"
              value={script.shell}
              options={platformShells[active]}
              disabled={readOnly}
              onChange={(shell) => onChange(active, { shell })}
            />
            <CodeEditor
              key={active}
              label={`${platforms.find((p) => p.id === active)!.label} script`}
              language={active === 'windows' ? 'powershell' : 'shell'}
              value={script.source}
              readOnly={readOnly}
              error={errors[`scripts.${active}.source`] ?? errors[`scripts.${active}`]}
              onChange={(source) => onChange(active, { source })}
            />
          </>
        ) : (
          <p class="muted">No script for this platform: the action is not offered on its devices.</p>
        )}
      </div>
    </section>
  );
}
