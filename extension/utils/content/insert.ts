/**
 * @module
 * Puts text into a ticket's comment box the way typing would, so the page's framework (React, Angular, ProseMirror,
 * CKEditor, Froala) notices: native value setter plus input events for form fields, `beforeinput` then `insertText`
 * for rich editors. Nothing is reported as inserted until it has been read back from the box.
 */
import type { InsertOutcome } from '@fixpoint/launcher';
import { isEditable } from '../adapters/visibility';

/** Lines of text compared loosely: editors turn line breaks into paragraphs and may collapse spaces. */
function lines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** The text a box holds, white space collapsed. */
function heldText(box: Element): string {
  const tag = box.tagName.toLowerCase();
  const raw = tag === 'textarea' || tag === 'input' ? (box as HTMLTextAreaElement).value : ((box as HTMLElement).innerText ?? box.textContent ?? '');
  return raw.replace(/\s+/g, ' ');
}

/** How many times `text` (line by line, in order) appears in `held`. */
function copiesOf(held: string, text: string): number {
  const wanted = lines(text);
  let count = 0;
  let from = 0;
  for (;;) {
    for (const line of wanted) {
      const at = held.indexOf(line, from);
      if (at < 0) return count;
      from = at + line.length;
    }
    count++;
  }
}

function writeField(field: HTMLTextAreaElement | HTMLInputElement, text: string): void {
  const win = field.ownerDocument.defaultView;
  const next = field.value.trim() ? `${field.value.replace(/\s+$/, '')}\n\n${text}` : text;
  // Frameworks track the value through the prototype's setter; assigning `value` alone can be undone on re-render.
  const proto = field.tagName === 'TEXTAREA' ? win?.HTMLTextAreaElement.prototype : win?.HTMLInputElement.prototype;
  const setter = proto ? Object.getOwnPropertyDescriptor(proto, 'value')?.set : undefined;
  field.focus();
  if (setter) setter.call(field, next);
  else field.value = next;
  // Composed, so a web component around the field (ServiceNow's now-textarea) hears it through its shadow root.
  const init = { bubbles: true, composed: true };
  field.dispatchEvent(new (win?.InputEvent ?? Event)('input', { ...init, inputType: 'insertText', data: text } as InputEventInit));
  field.dispatchEvent(new (win?.Event ?? Event)('change', init));
}

function writeEditor(editable: HTMLElement, text: string): void {
  const doc = editable.ownerDocument;
  const win = doc.defaultView;
  editable.focus();
  const selection = win?.getSelection();
  if (selection) {
    selection.selectAllChildren(editable);
    selection.collapseToEnd();
  }
  // Model-driven editors (CKEditor 5, Lexical, Slate) take text from `beforeinput` and cancel it once applied.
  const before = new (win?.InputEvent ?? Event)('beforeinput', { bubbles: true, cancelable: true, composed: true, inputType: 'insertText', data: text } as InputEventInit);
  if (!editable.dispatchEvent(before)) return;
  // DOM-observing editors (ProseMirror, Froala, CKEditor 4) read what the browser's own editing does, undo included.
  const execCommand = (doc as Document & { execCommand?: Document['execCommand'] }).execCommand;
  if (typeof execCommand === 'function' && execCommand.call(doc, 'insertText', false, text)) return;
  for (const line of text.split('\n')) {
    const p = doc.createElement('p');
    p.textContent = line;
    editable.appendChild(p);
  }
  editable.dispatchEvent(new (win?.InputEvent ?? Event)('input', { bubbles: true, composed: true, inputType: 'insertText', data: text } as InputEventInit));
}

/** Resolves after the page's next frame, when an editor that rejects a change has put its own content back. */
function nextFrame(win: Window | null): Promise<void> {
  return new Promise((resolve) => {
    if (!win?.requestAnimationFrame || win.document.visibilityState === 'hidden') return void setTimeout(resolve, 0);
    win.requestAnimationFrame(() => setTimeout(resolve, 0));
  });
}

/**
 * Appends `text` to the active ticket's comment box the way typing would, then reads the box back after a frame.
 * Only a shown, enabled box is written to; `inserted` means the text is there.
 */
export async function insertIntoCommentBox(box: Element | null | undefined, text: string): Promise<InsertOutcome> {
  if (!box || !isEditable(box) || !lines(text).length) return 'no-box';
  // Counted before and after, so a summary already in the box (inserted earlier) does not pass for a new one.
  const before = copiesOf(heldText(box), text);
  try {
    const tag = box.tagName.toLowerCase();
    if (tag === 'textarea' || tag === 'input') writeField(box as HTMLTextAreaElement, text);
    else writeEditor(box as HTMLElement, text);
  } catch {
    return 'not-taken';
  }
  await nextFrame(box.ownerDocument.defaultView);
  return box.isConnected && copiesOf(heldText(box), text) > before ? 'inserted' : 'not-taken';
}

/** Copies text with the clipboard API, falling back to a hidden textarea for pages that block it. */
export async function copyText(doc: Document, text: string): Promise<void> {
  try {
    await doc.defaultView!.navigator.clipboard.writeText(text);
    return;
  } catch {
    // Permission or focus problems: fall back below.
  }
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.cssText = 'position:fixed;top:-1000px;opacity:0';
  doc.body.appendChild(area);
  area.select();
  const ok = doc.execCommand?.('copy');
  area.remove();
  if (!ok) throw new Error('Copying is blocked on this page');
}
