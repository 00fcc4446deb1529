// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { attachDeclarativeShadowRoots } from './__fixtures__/load';
import { readPersonName } from './dom';
import { activeContainer, deepQueryAll, isEditable, isShown } from './visibility';

function page(html: string): Document {
  document.body.innerHTML = html;
  attachDeclarativeShadowRoots(document);
  return document;
}

describe('isShown', () => {
  it('rejects elements hidden by themselves or by any ancestor, also across shadow roots', () => {
    const doc = page(`
      <style>.gone { display: none }</style>
      <p id="plain">x</p>
      <div hidden><p id="hidden">x</p></div>
      <div inert><p id="inert">x</p></div>
      <div aria-hidden="true"><p id="aria">x</p></div>
      <div class="gone"><p id="class">x</p></div>
      <p id="invisible" style="visibility: hidden">x</p>
      <div style="display: none"><x-host><template shadowrootmode="open"><p id="shadow">x</p></template></x-host></div>
      <x-host><template shadowrootmode="open"><p id="shown-shadow">x</p></template></x-host>`);
    const byId = (id: string) => deepQueryAll(doc, `#${id}`)[0];
    for (const id of ['hidden', 'inert', 'aria', 'class', 'invisible', 'shadow']) expect(isShown(byId(id)), id).toBe(false);
    expect(isShown(byId('plain'))).toBe(true);
    expect(isShown(byId('shown-shadow'))).toBe(true);
    expect(isShown(document.createElement('p'))).toBe(false);
  });

  it('takes only shown, enabled boxes as editable', () => {
    const doc = page(`
      <textarea id="ok"></textarea><textarea id="ro" readonly></textarea><textarea id="off" disabled></textarea>
      <fieldset disabled><textarea id="fs"></textarea></fieldset>
      <div contenteditable="true" id="ed"></div><div contenteditable="true" aria-disabled="true" id="ed-off"></div>
      <div style="display:none"><textarea id="gone"></textarea></div>`);
    const ids = ['ok', 'ro', 'off', 'fs', 'ed', 'ed-off', 'gone'];
    expect(ids.filter((id) => isEditable(doc.getElementById(id)))).toEqual(['ok', 'ed']);
  });
});

describe('activeContainer', () => {
  it('is the one shown container, null when none or several are shown, undefined when the page has none', () => {
    const doc = page(`<div class="tab" style="display:none"></div><div class="tab" id="b"><div class="tab"></div></div>`);
    expect(activeContainer(doc, '.tab')).toBe(doc.getElementById('b'));
    (doc.querySelector('.tab') as HTMLElement).style.display = '';
    expect(activeContainer(doc, '.tab')).toBeNull();
    for (const el of Array.from(doc.querySelectorAll<HTMLElement>('.tab'))) el.hidden = true;
    expect(activeContainer(doc, '.tab')).toBeNull();
    expect(activeContainer(doc, '.pane')).toBeUndefined();
  });
});

describe('readPersonName', () => {
  it('leaves out avatar initials, e-mail addresses and labels', () => {
    const doc = page(`
      <div id="z"><figure data-garden-id="avatars.avatar"><span>HS</span></figure><span>Hana Sato</span><span>hana.sato@acme.example</span></div>
      <div id="j"><span role="img" aria-label="Abel Tuter"><span>AT</span></span><span>Abel Tuter</span></div>
      <a id="f"><span class="user-avatar">JD</span>Jane Doe<span class="sr-only"> (jane.doe@acme.example)</span></a>
      <div id="m">Maria Gomez &lt;maria.gomez@acme.example&gt;</div>
      <x-field id="s"><template shadowrootmode="open"><label>Caller</label><input value="Beth Anglin"></template></x-field>`);
    expect(['z', 'j', 'f', 'm', 's'].map((id) => readPersonName(doc.getElementById(id)))).toEqual(['Hana Sato', 'Abel Tuter', 'Jane Doe', 'Maria Gomez', 'Beth Anglin']);
  });
});
