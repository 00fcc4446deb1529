/**
 * @module
 * Puts text into a ticket's comment box the way typing would, so the page's framework (React, Angular, ProseMirror,
 * CKEditor, Froala) notices: native value setter plus input events for form fields, `insertText` for rich editors.
 */

/** Inserts `text` at the end of `box`; returns false when `box` is missing or not editable. */
export function insertIntoCommentBox(box: Element | null | undefined, text: string): boolean {
  if (!box || !box.isConnected) return false;
  const doc = box.ownerDocument;
  const win = doc.defaultView;
  const tag = box.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'input') {
    const field = box as HTMLTextAreaElement;
    if (field.disabled || field.readOnly) return false;
    const next = field.value ? `${field.value.replace(/\s+$/, '')}\n\n${text}` : text;
    // Frameworks track the value through the prototype's setter; assigning `value` alone can be undone on re-render.
    const proto = tag === 'textarea' ? win?.HTMLTextAreaElement.prototype : win?.HTMLInputElement.prototype;
    const setter = proto ? Object.getOwnPropertyDescriptor(proto, 'value')?.set : undefined;
    if (setter) setter.call(field, next);
    else field.value = next;
    field.dispatchEvent(new (win?.Event ?? Event)('input', { bubbles: true }));
    field.dispatchEvent(new (win?.Event ?? Event)('change', { bubbles: true }));
    field.focus();
    return true;
  }
  const editable = box as HTMLElement;
  if (!editable.isContentEditable && editable.getAttribute('contenteditable') !== 'true') return false;
  editable.focus();
  const selection = win?.getSelection();
  if (selection) {
    selection.selectAllChildren(editable);
    selection.collapseToEnd();
  }
  // Rich editors listen for beforeinput/input from real editing; execCommand produces those (and keeps undo working).
  const execCommand = (doc as Document & { execCommand?: Document['execCommand'] }).execCommand;
  if (typeof execCommand === 'function' && execCommand.call(doc, 'insertText', false, text)) return true;
  const lines = text.split('\n');
  for (const line of lines) {
    const p = doc.createElement('p');
    p.textContent = line;
    editable.appendChild(p);
  }
  editable.dispatchEvent(new (win?.InputEvent ?? Event)('input', { bubbles: true, inputType: 'insertText', data: text } as InputEventInit));
  return true;
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
