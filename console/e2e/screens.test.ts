/**
 * Every main screen: screenshot and axe-core check, keyboard use, import/export, secrets shown once, webhook
 * deliveries, the audit check, and error messages from the API.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, screenshot, startConsoleHarness, waitForNotice, type ConsoleHarness } from './harness';

let h: ConsoleHarness;
let receiver: Server;
let receiverUrl = '';
let received = 0;

const actionYaml = `kind: fixpoint/action
apiVersion: 1
slug: collect-disk
name: Collect disk usage
purpose: data_collection
description: Reports free space on the system volume.
runAs: system
timeoutSec: 60
triggers: [manual, api, schedule]
scripts:
  linux:
    shell: sh
    source: |
      free=$(df -k / | awk 'NR==2 {print $4}')
      fixpoint output free_kb "$free"
  windows:
    source: |
      $d = Get-PSDrive C
      fixpoint output free_kb $d.Free
outputs:
  - name: free_kb
    type: int
    description: Free space in KB
`;

beforeAll(async () => {
  h = await startConsoleHarness();
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
  receiver?.close();
});

describe('console screens', () => {
  it('serves the built console with its headers, deep links and keyboard sign-in', async () => {
    const page = await fetch(`${h.url}/admin/roles`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(asset).toBeTruthy();
    const js = await fetch(`${h.url}${asset}`);
    expect(js.headers.get('cache-control')).toContain('immutable');

    const { page: p, problems } = await h.newPage();
    await p.goto('/admin/roles');
    // Signed out: the sign-in page, which then leads back to the page asked for.
    await p.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await expectAccessible(p, 'sign-in');
    await screenshot(p, 'login');
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('email');
    await p.keyboard.type('admin@example.com');
    await p.keyboard.press('Tab');
    await p.keyboard.type('wrong-password-123');
    await p.keyboard.press('Enter');
    await p.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
    await p.getByLabel('Password').fill('admin-password-123');
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { level: 1, name: 'Roles' }).waitFor();
    expect(new URL(p.url()).pathname).toBe('/admin/roles');

    // On a fresh load the first Tab reaches the skip link, which moves focus to the page.
    await p.reload();
    await p.getByRole('heading', { level: 1, name: 'Roles' }).waitFor();
    await p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await p.keyboard.press('Enter');
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('main');
    // Navigation by keyboard lands on the new page's heading.
    await p.getByRole('link', { name: 'Audit log' }).focus();
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('page-title');
    expect(await p.title()).toBe('Audit log · Fixpoint');
    expect(problems).toEqual([]);
  });

  it('imports an action file and exports it again', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.getByRole('link', { name: 'Actions', exact: true }).click();
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Import an action' }).waitFor();
    await page.getByLabel('Action file').setInputFiles({ name: 'collect-disk.action.yaml', mimeType: 'application/yaml', buffer: Buffer.from(actionYaml) });
    await screenshot(page, 'action-import');
    await expectAccessible(page, 'import');
    await page.getByRole('button', { name: 'Import' }).click();
    await waitForNotice(page, 'Imported “Collect disk usage”: created.');
    await page.getByRole('heading', { level: 1, name: 'Collect disk usage' }).waitFor();
    await page.getByRole('tab', { name: /Linux/ }).click();
    await page.getByRole('textbox', { name: 'Linux script' }).getByText('fixpoint output free_kb').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export YAML' }).click()]);
    expect(download.suggestedFilename()).toBe('collect-disk.action.yaml');
    const exported = readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain('kind: fixpoint/action');
    expect(exported).toContain('slug: collect-disk');

    // The same file again changes nothing.
    await page.goto('/actions/import');
    await page.getByLabel('Action file').setInputFiles({ name: 'again.yaml', mimeType: 'application/yaml', buffer: Buffer.from(exported) });
    await page.getByRole('button', { name: 'Import' }).click();
    await waitForNotice(page, /unchanged/);

    // A broken file shows the backend's message.
    await page.goto('/actions/import');
    await page.getByLabel('Action file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"kind":"fixpoint/action"') });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('alert').filter({ hasText: /not valid JSON/ }).waitFor();

    await page.goto('/actions?q=disk');
    await page.getByRole('link', { name: 'Collect disk usage' }).waitFor();
    await page.getByLabel('Search').fill('nothing-like-this');
    await page.getByRole('heading', { name: 'No matching actions' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('shows an API client secret once, and it works', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/admin/api-clients');
    await page.getByRole('heading', { name: 'No API clients' }).waitFor();
    await page.getByRole('button', { name: 'New API client' }).click();
    await page.getByLabel('Name').fill('ServiceNow');
    await page.getByRole('group', { name: 'Roles' }).getByLabel('support').check();
    await page.getByRole('button', { name: 'Create client' }).click();
    const secret = (await page.getByTestId('secret-value').textContent())!;
    const clientId = (await page.getByRole('region', { name: /Client secret for ServiceNow/ }).locator('dd code').first().textContent())!;
    await screenshot(page, 'api-client-secret');
    const token = await fetch(`${h.url}/api/v1/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
    });
    expect(token.status).toBe(200);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('row', { name: /ServiceNow/ }).waitFor();
    await page.reload();
    await page.getByRole('row', { name: /ServiceNow/ }).waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(problems).toEqual([]);
  });

  it('creates and revokes a personal token', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.getByRole('link', { name: 'My access tokens' }).click();
    await page.getByRole('heading', { name: 'No tokens' }).waitFor();
    await page.getByLabel('Name').fill('inventory script');
    await page.getByRole('group', { name: 'Limit to these permissions' }).getByLabel('devices:read').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('secret-value').textContent())!;
    const me = await fetch(`${h.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { permissions: string[] }).permissions).toEqual(['devices:read']);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('button', { name: 'Revoke inventory script' }).click();
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await waitForNotice(page, 'Token inventory script revoked.');
    expect((await fetch(`${h.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect(problems).toEqual([]);
  });

  it('creates a webhook, sends a test and lists the delivery', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/admin/webhooks');
    await page.getByRole('heading', { name: 'No webhooks' }).waitFor();
    await page.getByRole('button', { name: 'New webhook' }).click();
    await page.getByLabel('Name').fill('Ticketing');
    await page.getByLabel('URL').fill('ftp://nope');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.locator('.field-error').first().waitFor();
    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByTestId('secret-value').waitFor();
    expect(await page.getByTestId('secret-value').textContent()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('link', { name: 'Ticketing' }).click();
    await page.getByRole('heading', { name: 'No deliveries yet' }).waitFor();
    await page.getByRole('button', { name: 'Send test' }).click();
    await waitForNotice(page, 'Test delivery queued');
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return page.getByRole('row', { name: /webhook\.test/ }).textContent();
      }, { timeout: 15_000 })
      .toContain('delivered');
    expect(received).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('shows API errors from {error:{message}}', async () => {
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    await page.goto('/admin/users');
    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('E-mail').fill('admin@example.com');
    await page.getByLabel('Name').fill('Second admin');
    await page.getByLabel('Initial password').fill('another-password-1');
    await page.getByRole('group', { name: 'Roles' }).getByLabel('viewer').check();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not create the user' }).waitFor();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/already/);
    expect(problems).toEqual([]);
  });

  it('verifies the audit chain', async () => {
    const { page } = await h.newPage();
    await h.signIn(page);
    await page.goto('/admin/audit');
    await page.getByRole('row', { name: /user\.seed/ }).waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => page.getByTestId('audit-verify').textContent()).toMatch(/The chain is intact: \d+ entries checked\..*signed checkpoints match/);
    await page.getByLabel('Action').fill('auth.*');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByRole('row', { name: /user\.seed/ }).count()).toBe(0);
    await page.getByRole('row', { name: /auth\.login/ }).first().waitFor();
  });

  it('passes axe on every main screen and saves a screenshot of each', async () => {
    const call = await apiSession(h.url);
    const hooks = await call('GET', '/api/v1/webhooks');
    const hookId = hooks.body.items[0]?.id as string;
    const { page, problems } = await h.newPage();
    await h.signIn(page);
    const screens: [string, string, string][] = [
      ['actions', '/actions', 'Actions'],
      ['action-view', '/actions/collect-disk', 'Collect disk usage'],
      ['action-new', '/actions/new', 'New action'],
      ['action-versions', '/actions/collect-disk/history', 'Version history'],
      ['admin-users', '/admin/users', 'Users'],
      ['admin-roles', '/admin/roles', 'Roles'],
      ['role-support', '/admin/roles/support', 'Role support'],
      ['role-new', '/admin/roles/new', 'New role'],
      ['api-clients', '/admin/api-clients', 'API clients'],
      ['webhooks', '/admin/webhooks', 'Webhooks'],
      ['webhook-detail', `/admin/webhooks/${hookId}`, 'Webhook Ticketing'],
      ['audit', '/admin/audit', 'Audit log'],
      ['tokens', '/account/tokens', 'My access tokens'],
      ['not-found', '/no/such/page', 'Not found'],
    ];
    for (const [name, path, title] of screens) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.waitForLoadState('networkidle');
      if (name.startsWith('action-') && name !== 'action-versions') await page.locator('.cm-content').first().waitFor();
      await screenshot(page, name);
      await expectAccessible(page, name);
    }
    expect(problems).toEqual([]);
  });
});
