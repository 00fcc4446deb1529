/**
 * The agent updates page in Chromium against a real backend: fleet versions, a release uploaded with the update
 * key's signature (size and SHA-256 read from the file in the browser), a ring rollout with its progress, pause and
 * resume, and the API refusing an unsigned upload the page lets through.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseSigningText } from '@fixpoint/protocol';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';

const keys = generateKeyPairSync('ed25519');
const binary = Buffer.from('#!/bin/sh\necho fixpoint-agent 0.2.0\n');
let h: ConsoleHarness;

beforeAll(async () => {
  h = await startConsoleHarness({ FIXPOINT_UPDATE_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') });
}, 120_000);
afterAll(() => h?.close());

describe('agent updates page', () => {
  it('uploads a signed release, rolls it out in rings, pauses and resumes', async () => {
    const api = await apiSession(h.url);
    const token = (await api('POST', '/api/v1/enrollment-tokens', { oneTime: true, tags: ['canary'] })).body.token;
    const { publicKey } = generateKeyPairSync('ed25519');
    const enrolled = await api('POST', '/api/v1/enroll', {
      token, name: 'canary-1', platform: 'linux', osVersion: '1', agentVersion: '0.1.0', facts: { arch: 'x64' },
      publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    });
    expect(enrolled.status).toBe(201);

    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.getByRole('link', { name: 'Agent updates' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agent updates' }).waitFor();
    await page.getByRole('table', { name: 'Agent versions across the fleet' }).getByRole('rowheader', { name: '0.1.0' }).waitFor();

    const fields = { version: '0.2.0', os: 'linux', arch: 'x64', size: binary.length, sha256: createHash('sha256').update(binary).digest('hex'), rollback: false };
    const signature = sign(null, Buffer.from(releaseSigningText(fields)), keys.privateKey).toString('base64');
    await page.getByLabel('Binary').setInputFiles({ name: 'fixpoint-agent-linux-x64', mimeType: 'application/octet-stream', buffer: binary });
    await page.getByText(`SHA-256 ${fields.sha256}`).waitFor();
    await page.getByLabel('Version', { exact: true }).first().fill('0.2.0');
    await page.getByLabel('Signature').fill(signature);
    await page.getByRole('button', { name: 'Upload' }).click();
    const releases = page.getByRole('table', { name: 'Releases' });
    await releases.getByRole('rowheader', { name: '0.2.0' }).waitFor();
    await expect.poll(() => releases.getByRole('row').nth(1).textContent()).toContain('linux-x64');

    await page.getByRole('button', { name: 'New rollout' }).click();
    const form = page.getByRole('form', { name: 'New rollout' });
    await form.getByLabel('Version').fill('0.2.0');
    await form.getByLabel('Rings').fill('canary → 100%');
    await form.getByRole('button', { name: 'Start rollout' }).click();
    const rollouts = page.getByRole('table', { name: 'Rollouts' });
    const row = rollouts.getByRole('row').filter({ hasText: 'canary → 100%' });
    await row.getByText('running').waitFor();
    await expect.poll(() => row.textContent()).toContain('ring 1 of 2');
    await expectAccessible(page, 'agent updates');
    await screenshot(page, 'agent-updates');

    await row.getByRole('button', { name: 'Pause the rollout of 0.2.0' }).click();
    await row.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitForNotice(page, 'Rollout of 0.2.0 paused.');
    await row.getByText('paused from the console').waitFor();
    await row.getByRole('button', { name: 'Resume' }).click();
    await waitForNotice(page, 'Rollout of 0.2.0 resumed.');
    await row.getByText('running').waitFor();
    const audit = (await api('GET', '/api/v1/audit?action=agent_rollout.*&limit=10')).body.items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['agent_rollout.create', 'agent_rollout.pause', 'agent_rollout.resume']));

    // a signature the update key did not make: the page sends it, the API refuses it, the page says why
    await page.getByLabel('Binary').setInputFiles({ name: 'other', mimeType: 'application/octet-stream', buffer: Buffer.from('other') });
    await page.getByLabel('Version', { exact: true }).first().fill('0.2.1');
    await page.getByLabel('Signature').fill(signature);
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('alert').filter({ hasText: 'not the update key’s' }).waitFor();
    expect(problems).toEqual([]);
  }, 120_000);
});
