// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { insertIntoCommentBox } from './insert';

describe('insertIntoCommentBox', () => {
  it('appends to a textarea through the native setter and fires input events', () => {
    document.body.innerHTML = '<textarea id="notes">Called the user.  </textarea>';
    const box = document.getElementById('notes') as HTMLTextAreaElement;
    const onInput = vi.fn();
    box.addEventListener('input', onInput);
    expect(insertIntoCommentBox(box, 'Fixpoint: Restart VPN client — Succeeded')).toBe(true);
    expect(box.value).toBe('Called the user.\n\nFixpoint: Restart VPN client — Succeeded');
    expect(onInput).toHaveBeenCalledTimes(1);
  });

  it('writes into a rich-text editor', () => {
    document.body.innerHTML = '<div id="ed" contenteditable="true"><p><br></p></div>';
    const editor = document.getElementById('ed')!;
    const onInput = vi.fn();
    editor.addEventListener('input', onInput);
    expect(insertIntoCommentBox(editor, 'line one\nline two')).toBe(true);
    expect(editor.textContent).toContain('line one');
    expect(editor.textContent).toContain('line two');
    expect(onInput).toHaveBeenCalled();
  });

  it('refuses read-only fields, plain elements and boxes that left the page', () => {
    document.body.innerHTML = '<textarea id="ro" readonly></textarea><div id="plain"></div>';
    expect(insertIntoCommentBox(document.getElementById('ro'), 'x')).toBe(false);
    expect(insertIntoCommentBox(document.getElementById('plain'), 'x')).toBe(false);
    const gone = document.createElement('textarea');
    expect(insertIntoCommentBox(gone, 'x')).toBe(false);
    expect(insertIntoCommentBox(undefined, 'x')).toBe(false);
  });
});
