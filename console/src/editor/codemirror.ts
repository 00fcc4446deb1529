/**
 * @module CodeMirror 6 with the PowerShell and shell legacy modes. Loaded on demand by CodeEditor, so the
 * library, list and admin pages never download it.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { StreamLanguage, bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { powerShell } from '@codemirror/legacy-modes/mode/powershell';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { Annotation, EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';

export type CodeLanguage = 'powershell' | 'shell';

export interface EditorOptions {
  doc: string;
  language: CodeLanguage;
  /** id of the element that labels the editor. */
  labelledBy: string;
  describedBy?: string | undefined;
  readOnly: boolean;
  onChange: (doc: string) => void;
}

export interface EditorHandle {
  setDoc(doc: string): void;
  focus(): void;
  destroy(): void;
}

const theme = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid #8a94a6', borderRadius: '6px', backgroundColor: '#fff' },
  '&.cm-focused': { outline: '3px solid #1d4ed8', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '14rem' },
  '.cm-gutters': { backgroundColor: '#f3f5f9', color: '#4b5563', borderRight: '1px solid #d5dae3' },
  '.cm-scroller': { maxHeight: '32rem', overflow: 'auto' },
});

/** The page's style nonce (see backend/src/http/console.ts): CodeMirror's <style> elements need it under the CSP. */
function styleNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="fixpoint-style-nonce"]')?.content ?? '';
}

/** Marks changes pushed from outside (setDoc), which must not be echoed back through onChange. */
const external = Annotation.define<boolean>();

export function createEditor(parent: HTMLElement, options: EditorOptions): EditorHandle {
  const attributes: Record<string, string> = { 'aria-labelledby': options.labelledBy, 'aria-multiline': 'true', role: 'textbox' };
  if (options.describedBy) attributes['aria-describedby'] = options.describedBy;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        EditorView.cspNonce.of(styleNonce()),
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle),
        StreamLanguage.define(options.language === 'powershell' ? powerShell : shell),
        // Tab is left to the browser so keyboard users can leave the editor; indentation uses the default keymap.
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of(attributes),
        EditorState.readOnly.of(options.readOnly),
        EditorView.editable.of(!options.readOnly),
        EditorView.updateListener.of((update) => {
          // Echoing an external change would race with the component's pending renders and ping-pong forever.
          if (update.docChanged && !update.transactions.some((t) => t.annotation(external)))
            options.onChange(update.state.doc.toString());
        }),
        theme,
      ],
    }),
  });
  return {
    setDoc(doc) {
      if (doc !== view.state.doc.toString())
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc }, annotations: external.of(true) });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
