/**
 * @module The live preview: the tray client's own `fixpoint-prompt` element renders the campaign, so what the author
 * sees is what users get. The elements load on first use (they are not part of the main bundle).
 */
import type { CampaignParameterDecl } from '@fixpoint/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Fields';
import { describeAnswers } from '../../lib/answers';

export interface CampaignPreviewProps {
  /** The definition as edited; the prompt checks it and says why when it cannot be shown. */
  definition: unknown;
  languages: string[];
  parameters: readonly Pick<CampaignParameterDecl, 'name' | 'default'>[];
  /** Waits this long after the last change before showing it, so typing does not restart the preview on every key. */
  debounceMs?: number;
}

interface Ended {
  state: string;
  lines: string[];
}

const loadElements = () => import('@fixpoint/tray-client/components/define');

export function CampaignPreview({ definition, languages, parameters, debounceMs = 300 }: CampaignPreviewProps) {
  const host = useRef<HTMLDivElement>(null);
  const prompt = useRef<HTMLElementTagNameMap['fixpoint-prompt'] | null>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<unknown>(null);
  const [language, setLanguage] = useState(languages[0] ?? 'en');
  const [user, setUser] = useState('Ana');
  const [values, setValues] = useState<Record<string, string>>({});
  const [ended, setEnded] = useState<Ended | null>(null);
  const [round, setRound] = useState(0);
  const shown = useRef('');
  const restarted = useRef(0);
  // What the prompt shows now, as a key of everything it was given; the frame is busy until it matches the latest edit.
  const [applied, setApplied] = useState('');
  const latest = JSON.stringify([definition, language, user, values, round]);

  useEffect(() => {
    let live = true;
    loadElements().then(() => {
      if (!live || !host.current) return;
      const element = document.createElement('fixpoint-prompt');
      element.addEventListener('fixpoint-answer', (event) => {
        const { state, answers, freeText } = event.detail;
        setEnded({ state, lines: describeAnswers(answers, freeText) });
      });
      host.current.append(element);
      prompt.current = element;
      setReady(true);
    }, setFailed);
    return () => {
      live = false;
      prompt.current?.remove();
      prompt.current = null;
    };
  }, []);

  useEffect(() => {
    if (!languages.includes(language)) setLanguage(languages[0] ?? 'en');
  }, [languages.join(',')]);

  useEffect(() => {
    if (!ready) return;
    const apply = () => {
      const element = prompt.current!;
      element.language = language;
      element.user = user || undefined;
      element.parameters = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
      const text = JSON.stringify(definition);
      // A new campaign object restarts the prompt at its first question; an unchanged one keeps the answers.
      if (text !== shown.current || round !== restarted.current) {
        shown.current = text;
        restarted.current = round;
        element.campaign = JSON.parse(text) as unknown;
        setEnded(null);
      }
      setApplied(latest);
    };
    const timer = setTimeout(apply, shown.current ? debounceMs : 0);
    return () => clearTimeout(timer);
  }, [ready, latest]);

  return (
    <section class="preview" aria-labelledby="preview-title">
      <div class="preview-head">
        <h2 id="preview-title">Preview</h2>
        <button type="button" class="button small" onClick={() => setRound((r) => r + 1)}>
          Start over
        </button>
      </div>
      <p class="muted small">As the tray client shows it. Answer to follow the branching; nothing is sent.</p>
      <div class="preview-controls">
        {languages.length > 1 ? (
          <SelectField label="Language" value={language} options={languages} onChange={setLanguage} />
        ) : null}
        <TextField label="User name" hint="Fills {user}." value={user} onInput={setUser} />
        {parameters.map((p) => (
          <TextField
            key={p.name}
            label={`{{${p.name}}}`}
            placeholder={p.default ?? ''}
            value={values[p.name] ?? ''}
            onInput={(v) => setValues({ ...values, [p.name]: v })}
          />
        ))}
      </div>
      <ErrorMessage error={failed} title="The preview could not be loaded" />
      <div class="preview-frame" ref={host} data-testid="campaign-preview" aria-busy={applied !== latest} />
      {ended ? (
        <div class="alert alert-info" role="status">
          <div>
            The prompt ended: <strong>{ended.state}</strong>.
            {ended.lines.length ? (
              <ul class="error-list">
                {ended.lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}
