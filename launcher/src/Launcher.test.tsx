// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeLauncherApi } from './testing/fake-launcher-api';
import { deviceId, otherDeviceId, sampleDevice } from './testing/samples';
import { Launcher } from './Launcher';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const settle = () => act(async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
});
const q = <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector);
const byText = (selector: string, text: string) =>
  Array.from(root.querySelectorAll<HTMLElement>(selector)).find((el) => el.textContent?.includes(text));
const click = (el: Element | null | undefined) => act(() => (el as HTMLElement).click());
function type(el: Element | null, value: string) {
  return act(() => {
    (el as HTMLInputElement).value = value;
    el!.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('Launcher', () => {
  it('runs an action on the ticket device from start to result', async () => {
    const fake = createFakeLauncherApi();
    const onInsert = vi.fn(async (_text: string) => 'inserted' as const);
    const onCopy = vi.fn(async (_text: string) => undefined);
    await act(() => render(<Launcher api={fake.api} deviceHint="LT-ABEL-0042" contextLabel="INC0010023" onInsertSummary={onInsert} onCopy={onCopy} />, root));
    await settle();
    expect(q('[aria-label="Device LT-ABEL-0042"]')?.textContent).toContain('online');
    expect(q('.fp-facts')?.textContent).toContain('Latitude 7440');

    await click(byText('.fp-list button', 'Restart VPN client'));
    await settle();
    const password = root.querySelector<HTMLInputElement>('input[type=password]');
    expect(password?.id).toMatch(/-p-AdminPassword$/);
    const profile = root.querySelector<HTMLSelectElement>('select');
    expect(Array.from(profile!.options).map((o) => o.value)).toEqual(['corp', 'lab']);

    const wait = root.querySelector<HTMLInputElement>('input[id$="-p-WaitSeconds"]')!;
    await type(wait, 'ten');
    await click(byText('button', 'Launch'));
    await settle();
    expect(wait.getAttribute('aria-invalid')).toBe('true');
    expect(root.textContent).toContain('WaitSeconds must be an integer');
    expect(document.activeElement).toBe(wait);
    expect(fake.api.launch).not.toHaveBeenCalled();

    await type(wait, '15');
    await click(byText('button', 'Launch'));
    await settle();
    expect(fake.api.launch).toHaveBeenCalledWith({ action: 'restart-vpn', deviceId, parameters: { Profile: 'corp', WaitSeconds: 15, Force: false }, pageDevice: 'LT-ABEL-0042' });
    expect(q('[role=status]')?.textContent).toContain('Queued');
    await act(() => fake.push('running'));
    expect(q('[role=status]')?.textContent).toContain('Running');
    await act(() => fake.push('succeeded'));
    await settle();
    expect(q('[aria-label^="Run of"] .fp-facts')?.textContent).toContain('connected');
    expect(root.querySelector('pre')?.textContent).toBe('VPN reconnected');

    await click(byText('button', 'Insert into ticket'));
    await settle();
    expect(onInsert.mock.calls[0]?.[0]).toContain('Fixpoint: Restart VPN client on LT-ABEL-0042 — Succeeded');
    expect(root.textContent).toContain('Inserted into the ticket');
    await click(byText('button', 'Copy result'));
    await settle();
    expect(onCopy).toHaveBeenCalledTimes(1);
  });

  it('opens with a preset action and values from a link, skips secrets, and waits for Launch', async () => {
    const fake = createFakeLauncherApi();
    const preset = { action: 'restart-vpn', parameters: { Profile: 'lab', WaitSeconds: '42', Force: 'true', AdminPassword: 'from-a-link' } };
    await act(() => render(<Launcher api={fake.api} deviceHint="LT-ABEL-0042" trigger="manual" preset={preset} />, root));
    await settle();
    expect(root.querySelector<HTMLSelectElement>('select')!.value).toBe('lab');
    expect(root.querySelector<HTMLInputElement>('input[id$="-p-WaitSeconds"]')!.value).toBe('42');
    expect(root.querySelector<HTMLInputElement>('input[id$="-p-Force"]')!.checked).toBe(true);
    expect(root.querySelector<HTMLInputElement>('input[type=password]')!.value).toBe('');
    expect(fake.api.launch).not.toHaveBeenCalled();
    await click(byText('button', 'Launch'));
    await settle();
    expect(fake.api.launch).toHaveBeenCalledWith({ action: 'restart-vpn', deviceId, parameters: { Profile: 'lab', WaitSeconds: 42, Force: true }, pageDevice: 'LT-ABEL-0042' });
  });

  it('says so when a link names an action the user may not run, and launches nothing', async () => {
    const fake = createFakeLauncherApi();
    await act(() => render(<Launcher api={fake.api} deviceHint="LT-ABEL-0042" preset={{ action: 'wipe-disk', parameters: {} }} />, root));
    await settle();
    expect(q('[role=alert]')?.textContent).toContain('wipe-disk, which you may not run');
    expect(byText('.fp-list button', 'Restart VPN client')).toBeTruthy();
  });

  it('never settles between a short name and an FQDN: lists both with their details and runs nothing until one is picked', async () => {
    const fqdn = sampleDevice({ id: otherDeviceId, name: 'laptop-01.corp.example', online: false, tags: ['site:lyon'], osVersion: 'Ubuntu 24.04' });
    const fake = createFakeLauncherApi([sampleDevice({ name: 'LAPTOP-01' }), fqdn]);
    await act(() => render(<Launcher api={fake.api} deviceHint="LAPTOP-01" />, root));
    await settle();
    expect(q('[aria-label^="Device "]')).toBeNull();
    expect(fake.api.listActions).not.toHaveBeenCalled();
    expect(root.textContent).toContain('2 devices match “LAPTOP-01”');
    const row = q('[aria-label="Choose laptop-01.corp.example"]')!;
    expect(row.textContent).toMatch(/offline · last seen .+ · Ubuntu 24\.04 · tags: site:lyon/);
    expect(q('[aria-label="Choose LAPTOP-01"]')?.textContent).toContain('online');
    await click(row);
    await settle();
    expect(fake.api.listActions).toHaveBeenCalledWith(fqdn);
    await click(byText('.fp-list button', 'Flush DNS'));
    await settle();
    await click(byText('button', 'Launch'));
    await settle();
    expect(fake.api.launch).toHaveBeenCalledWith({ action: 'flush-dns', deviceId: otherDeviceId, parameters: {}, pageDevice: 'LAPTOP-01' });
  });

  it('says so and offers to copy when the comment box did not keep the summary', async () => {
    const fake = createFakeLauncherApi();
    const onCopy = vi.fn(async (_text: string) => undefined);
    await act(() => render(<Launcher api={fake.api} deviceHint="LT-ABEL-0042" onInsertSummary={async () => 'not-taken' as const} onCopy={onCopy} />, root));
    await settle();
    await click(byText('.fp-list button', 'Flush DNS'));
    await settle();
    await click(byText('button', 'Launch'));
    await act(() => fake.push('succeeded'));
    await settle();
    await click(byText('button', 'Insert into ticket'));
    await settle();
    expect(root.textContent).toContain('The comment box did not keep the text.');
    expect(root.textContent).not.toContain('Inserted');
    await click(byText('button', 'Copy instead'));
    await settle();
    expect(onCopy).toHaveBeenCalledTimes(1);
    expect(root.textContent).toContain('Copied to the clipboard');
  });

  it('lets the agent choose when several devices match, and search when none does', async () => {
    const fake = createFakeLauncherApi([sampleDevice({ name: 'LT-ABEL-0042' }), sampleDevice({ id: otherDeviceId, name: 'LT-ABEL-0042B' })]);
    await act(() => render(<Launcher api={fake.api} deviceHint="LT-ABEL" />, root));
    await settle();
    expect(root.textContent).toContain('2 devices match');
    await click(byText('.fp-list button', 'LT-ABEL-0042B'));
    await settle();
    expect(q('[aria-label="Device LT-ABEL-0042B"]')).not.toBeNull();

    await click(q('button[aria-label^="Change device"]'));
    const search = q<HTMLInputElement>('input[type=search]')!;
    await type(search, 'PC-NOPE');
    await act(() => search.form!.requestSubmit());
    await settle();
    expect(root.textContent).toContain('No device matches “PC-NOPE”');
  });

  it('hides insert without a host callback, closes on Escape and follows a new ticket', async () => {
    const fake = createFakeLauncherApi([sampleDevice(), sampleDevice({ id: otherDeviceId, name: 'PC-FIN-0107' })]);
    const onClose = vi.fn();
    await act(() => render(<Launcher api={fake.api} deviceHint="LT-ABEL-0042" onClose={onClose} />, root));
    await settle();
    await click(byText('.fp-list button', 'Flush DNS'));
    await settle();
    await click(byText('button', 'Launch'));
    await act(() => fake.push('succeeded'));
    await settle();
    expect(byText('button', 'Insert into ticket')).toBeUndefined();
    await act(() => {
      q('.fp-launcher')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(onClose).toHaveBeenCalled();

    await act(() => render(<Launcher api={fake.api} deviceHint="PC-FIN-0107" onClose={onClose} />, root));
    await settle();
    expect(q('[aria-label="Device PC-FIN-0107"]')).not.toBeNull();
    expect(q('[aria-label^="Run of"]')).toBeNull();
  });
});
