// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { insertIntoCommentBox } from './insert';

describe('insertIntoCommentBox', () => {
  it('appends to a textarea through the native setter, fires composed input events and reads the text back', async () => {
    document.body.innerHTML = '<textarea id="notes">Called the user.  </textarea>';
    const box = document.getElementById('notes') as HTMLTextAreaElement;
    const onInput = vi.fn((e: Event) => e.composed);
    box.addEventListener('input', onInput);
    expect(await insertIntoCommentBox(box, 'Fixpoint: Restart VPN client — Succeeded')).toBe('inserted');
    expect(box.value).toBe('Called the user.\n\nFixpoint: Restart VPN client — Succeeded');
    expect(onInput).toHaveReturnedWith(true);
  });

  it('lets a model-driven editor take the text from beforeinput, and does not insert it twice', async () => {
    document.body.innerHTML = '<div id="ed" contenteditable="true"><p><br></p></div>';
    const editor = document.getElementById('ed')!;
    editor.addEventListener('beforeinput', (e) => {
      e.preventDefault();
      const p = document.createElement('p');
      p.textContent = (e as InputEvent).data;
      editor.replaceChildren(p);
    });
    expect(await insertIntoCommentBox(editor, 'line one\nline two')).toBe('inserted');
    expect(editor.querySelectorAll('p')).toHaveLength(1);
    expect(editor.textContent).toBe('line one\nline two');
  });

  it('says the box did not keep the text when the page reverts it', async () => {
    document.body.innerHTML = '<textarea id="notes"></textarea>';
    const box = document.getElementById('notes') as HTMLTextAreaElement;
    // A framework that re-renders the field from its own state, which never saw the change.
    box.addEventListener('input', () => queueMicrotask(() => (box.value = '')));
    expect(await insertIntoCommentBox(box, 'Fixpoint: done')).toBe('not-taken');
    // A summary already in the box does not pass for a new one.
    const kept = document.createElement('textarea');
    kept.value = 'Fixpoint: done';
    document.body.appendChild(kept);
    kept.addEventListener('input', () => queueMicrotask(() => (kept.value = 'Fixpoint: done')));
    expect(await insertIntoCommentBox(kept, 'Fixpoint: done')).toBe('not-taken');
  });

  it('refuses hidden, read-only and disabled boxes, plain elements and boxes that left the page', async () => {
    document.body.innerHTML = `
      <textarea id="ro" readonly></textarea><textarea id="off" disabled></textarea><div id="plain"></div>
      <div style="display:none"><textarea id="hidden"></textarea></div><div aria-hidden="true"><textarea id="aria"></textarea></div>
      <div inert><div contenteditable="true" id="inert"></div></div>`;
    for (const id of ['ro', 'off', 'plain', 'hidden', 'aria', 'inert']) expect(await insertIntoCommentBox(document.getElementById(id), 'x'), id).toBe('no-box');
    expect((document.getElementById('hidden') as HTMLTextAreaElement).value).toBe('');
    expect(await insertIntoCommentBox(document.createElement('textarea'), 'x')).toBe('no-box');
    expect(await insertIntoCommentBox(undefined, 'x')).toBe('no-box');
  });
});
