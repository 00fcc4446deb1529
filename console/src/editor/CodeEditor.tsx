import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { FieldExtras } from '../components/Fields';
import type { CodeLanguage, EditorHandle } from './codemirror';

export interface CodeEditorProps {
  label: string;
  value: string;
  language: CodeLanguage;
  onChange: (value: string) => void;
  readOnly?: boolean;
  error?: string | undefined;
  hint?: string;
}

/**
 * A code editor with syntax highlighting. Until CodeMirror has loaded (or if it fails to), a plain textarea
 * edits the same text, so the form works either way.
 */
export function CodeEditor({ label, value, language, onChange, readOnly = false, error, hint }: CodeEditorProps) {
  const id = useId();
  const host = useRef<HTMLDivElement>(null);
  const handle = useRef<EditorHandle | null>(null);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  // The last text the editor reported: a render still carrying it (or an older one) is not a change from outside.
  const emitted = useRef(value);
  const [ready, setReady] = useState(false);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

  useEffect(() => {
    let cancelled = false;
    import('./codemirror').then(
      ({ createEditor }) => {
        if (cancelled || !host.current) return;
        handle.current = createEditor(host.current, {
          doc: value,
          language,
          labelledBy: `${id}-label`,
          describedBy,
          readOnly,
          onChange: (doc) => {
            emitted.current = doc;
            changeRef.current(doc);
          },
        });
        setReady(true);
      },
      () => setReady(false),
    );
    return () => {
      cancelled = true;
      handle.current?.destroy();
      handle.current = null;
    };
  }, [language, readOnly]);

  // A layout effect runs in the same task as the render, before the editor can report newer text.
  useLayoutEffect(() => {
    if (value === emitted.current) return;
    emitted.current = value;
    handle.current?.setDoc(value);
  }, [value]);

  return (
    <div class={`field code-field${error ? ' has-error' : ''}`}>
      <label id={`${id}-label`} for={ready ? undefined : `${id}-fallback`} onClick={() => handle.current?.focus()}>
        {label}
      </label>
      <div ref={host} class="code-host" data-testid="code-editor" />
      {ready ? null : (
        <textarea
          id={`${id}-fallback`}
          class="code-fallback"
          rows={14}
          spellcheck={false}
          readOnly={readOnly}
          value={value}
          aria-describedby={describedBy}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      )}
      <FieldExtras id={id} hint={hint} error={error} />
    </div>
  );
}
