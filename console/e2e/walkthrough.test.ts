/**
 * A walk through the console as a new admin meets it, then as a support user: one backend, one browser page, a
 * screenshot of every main screen in `test-results/console/walk-*.png` for a person to look at, and on each screen
 * a check that it shows what it should — values in human units, names rather than ids, guidance where it is empty.
 */
import { sampleCampaign } from '@fixpoint/protocol/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordResponse } from '../../backend/src/services/campaigns';
import { runDueSchedules } from '../../backend/src/services/schedules';
import { admin as adminUser, apiSession, screenshot, startConsoleHarness, type ConsoleHarness } from './harness';
import { enrollDevices, finishExecution, type Call } from './seed';

let h: ConsoleHarness;
let admin: Call;
let page: Page;
let problems: string[];
let ids: Record<string, string>;
let scheduleId = '';
let ruleId = '';
let ruleCreated = 0;
let ruleFired = 0;
const support = { email: 'sam.support@example.com', password: 'support-password-123' };

/** An action with typed outputs: a size, a ratio and a duration, as a disk check reports them. */
const diskAction = {
  slug: 'disk-usage',
  name: 'Disk usage',
  purpose: 'data_collection',
  description: 'Free space, use and scan time of the system volume.',
  triggers: ['manual', 'api', 'schedule', 'detection'],
  outputs: [
    { name: 'free_bytes', type: 'size', description: 'Free space' },
    { name: 'used', type: 'ratio', description: 'Share in use' },
    { name: 'scan_time', type: 'duration', description: 'Time the scan took' },
  ],
  scripts: {
    linux: { shell: 'sh', source: 'fixpoint output free_bytes "$(df -B1 --output=avail / | tail -1)"\nfixpoint output used 0.3\nfixpoint output scan_time 2' },
    windows: { source: '$d = Get-PSDrive C\nfixpoint output free_bytes $d.Free\nfixpoint output used 0.3\nfixpoint output scan_time 2' },
  },
};
const diskOutputs = { free_bytes: 81608687616, used: 0.3016, scan_time: 1016 };
const facts = {
  uptime_sec: 1016,
  memory: { total_bytes: 17179869184, free_bytes: 4294967296 },
  disk: { mount: '/', filesystem: 'ext4', total_bytes: 255013683200, free_bytes: 20401094656, free_pct: 8 },
  disks: [
    { mount: '/', filesystem: 'ext4', total_bytes: 255013683200, free_bytes: 20401094656, free_pct: 8 },
    { mount: '/home', filesystem: 'xfs', total_bytes: 1099511627776, free_bytes: 549755813888, free_pct: 50 },
  ],
  logged_in_user: 'ana',
  cpu: { model: 'Intel(R) Core(TM) i7-1185G7', cores: 8 },
};

async function newest(query: string): Promise<{ id: string; deviceId: string; requestedBy: string }[]> {
  return (await admin('GET', `/api/v1/executions?${query}`)).body.items;
}

/** Opens a path, waits for its heading and for the network to settle, saves `walk-<name>.png`. */
async function visit(path: string, heading: string | RegExp, name: string): Promise<void> {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.waitForLoadState('networkidle');
  await shot(name);
}

const shot = (name: string) => screenshot(page, `walk-${name}`);
const text = (testId: string) => page.getByTestId(testId).textContent();

beforeAll(async () => {
  h = await startConsoleHarness();
  admin = await apiSession(h.url);
  expect((await admin('POST', '/api/v1/actions', diskAction)).status).toBe(201);
  ids = await enrollDevices(h.url, admin, [
    { name: 'pc-ana', platform: 'linux', facts },
    { name: 'pc-bob', platform: 'windows', facts: { uptime_sec: 93784, disk: { free_pct: 61 } } },
  ]);
  expect((await admin('POST', '/api/v1/users', { email: support.email, name: 'Sam Support', password: support.password, roles: ['support'] })).status).toBe(201);

  // A schedule that has run once: its execution names the schedule, and its outputs become the device's latest.
  const schedule = await admin('POST', '/api/v1/schedules', { name: 'Disk usage every hour', action: diskAction.slug, target: 'devices | where platform == "linux"', intervalSec: 3600 });
  expect(schedule.status).toBe(201);
  scheduleId = schedule.body.id;
  const realNow = h.backend.ctx.now;
  h.backend.ctx.now = () => new Date(Date.now() + 61 * 60_000);
  try {
    expect(await runDueSchedules(h.backend.ctx)).toBe(1);
  } finally {
    h.backend.ctx.now = realNow;
  }
  const [scheduled] = await newest('trigger=schedule');
  await finishExecution(h.backend.ctx, scheduled!, { outputs: diskOutputs, stdout: 'scanned /' });

  // A detection rule that fired on the low-disk device and now waits out its cooldown.
  ruleCreated = Date.now();
  const rule = await admin('POST', '/api/v1/detections', { name: 'Low disk', condition: 'disk.free_pct < 10', action: diskAction.slug, guards: { cooldownSec: 3600, canaryPercent: 0 } });
  expect(rule.status).toBe(201);
  ruleId = rule.body.id;
  let fired: { id: string; deviceId: string }[] = [];
  for (const until = Date.now() + 15_000; !(fired = await newest('trigger=detection')).length && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
  expect(fired).toHaveLength(1);
  ruleFired = Date.now();
  await finishExecution(h.backend.ctx, fired[0]!, { status: 'failed', stderr: 'disk is read-only', exitCode: 3 });

  // A published campaign sent to both devices, one of which answered.
  expect((await admin('POST', '/api/v1/campaigns', sampleCampaign())).status).toBe(201);
  expect((await admin('POST', '/api/v1/campaigns/laptop-survey/publish')).status).toBe(200);
  const sent = await admin('POST', '/api/v1/campaigns/laptop-survey/trigger', { devices: [ids['pc-ana'], ids['pc-bob']], parameters: { deadline: 'Friday' } });
  expect(sent.status).toBe(200);
  const requests = (await admin('GET', '/api/v1/campaigns/laptop-survey/requests')).body.items as { id: string; deviceId: string }[];
  const ana = requests.find((r) => r.deviceId === ids['pc-ana'])!;
  await recordResponse(h.backend.ctx, { requestId: ana.id, deviceId: ana.deviceId, state: 'fully', answers: { satisfied: ['yes'], nps: ['9'] }, freeText: {}, user: 'ana', language: 'en' });

  expect((await admin('POST', '/api/v1/webhooks', { name: 'Ticketing', url: 'http://127.0.0.1:9/hook', events: ['execution.succeeded', 'execution.failed'] })).status).toBe(201);
  expect((await admin('POST', '/api/v1/enrollment-tokens', { description: 'Paris laptops', oneTime: false, tags: ['site:paris'] })).status).toBe(201);
  ({ page, problems } = await h.newPage());
});
beforeEach(({ task, onTestFailed }) => onTestFailed(() => h.captureFailure(task.name)));
afterAll(async () => {
  await h?.close();
});

describe('console walk-through', () => {
  it('as an admin: every main screen, with values in human units and names instead of ids', async () => {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await shot('01-sign-in');
    await h.signIn(page, adminUser.email, adminUser.password);

    await visit('/devices', 'Devices', '02-devices');
    await page.getByRole('link', { name: 'pc-ana' }).waitFor();
    expect(await page.getByRole('link', { name: 'pc-bob' }).count()).toBe(1);

    // The device: outputs by their declared types, facts by their kinds, the disks as a table.
    await visit(`/devices/${ids['pc-ana']}`, 'pc-ana', '03-device');
    await expect.poll(() => text('device-outputs')).toContain('76 GB');
    const outputs = (await text('device-outputs'))!;
    expect(outputs).toContain('30.2 %');
    expect(outputs).toContain('17 min');
    expect(outputs).toContain('Disk usage');
    expect(outputs).not.toContain('81608687616');
    const factList = page.getByRole('region', { name: 'Facts' }).or(page.locator('section', { has: page.getByRole('heading', { name: 'Facts' }) }));
    const factText = (await factList.first().textContent())!;
    expect(factText).toMatch(/uptime_sec\s*17 min/);
    expect(factText).toMatch(/memory\.total_bytes\s*16 GB/);
    expect(factText).toMatch(/disk\.free_pct\s*8 %/);
    expect(await page.getByTestId('fact-disks').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('fact-disks').textContent()).toContain('1 TB');
    // The history names the schedule and the rule, not their ids.
    await expect.poll(() => text('executions')).toContain('schedule: Disk usage every hour');
    expect(await text('executions')).toContain('detection rule: Low disk');
    await shot('03-device');

    // The launcher on the device page: launch, then the run's result in the same units.
    const launcher = page.getByTestId('launcher');
    await launcher.getByRole('button', { name: /Disk usage/ }).click();
    await launcher.getByRole('button', { name: 'Launch' }).click();
    await launcher.getByText('Queued (device offline or busy)').waitFor();
    const [launched] = await newest(`deviceId=${ids['pc-ana']}&trigger=manual`);
    await finishExecution(h.backend.ctx, launched!, { outputs: { ...diskOutputs, scan_time: 0.042 }, stdout: 'scanned /' });
    const run = launcher.getByRole('region', { name: 'Run of Disk usage' });
    await run.getByText('Succeeded').waitFor();
    await expect.poll(() => run.textContent()).toMatch(/free_bytes\s*76 GB.*used\s*30\.2 %.*scan_time\s*42 ms/);
    // The page follows: the new run in the history, its outputs as the latest.
    await expect.poll(() => page.getByTestId('executions').locator('tbody tr').count()).toBe(3);
    await expect.poll(() => text('device-outputs')).toContain('42 ms');
    await shot('04-launcher-result');

    await visit('/executions', 'Executions', '05-executions');
    await expect.poll(() => text('executions')).toContain('schedule: Disk usage every hour');
    expect(await text('executions')).toContain('admin@example.com');
    expect(await text('executions')).not.toMatch(/schedule:[0-9a-f]{8}-/);

    await visit(`/executions/${launched!.id}`, 'disk-usage on pc-ana', '06-execution');
    expect(await text('execution-outputs')).toMatch(/free_bytes76 GB.*used30\.2 %.*scan_time42 ms/);

    await visit(`/actions/${diskAction.slug}`, 'Disk usage', '07-action-editor');
    await page.locator('.cm-content').first().waitFor();
    await shot('07-action-editor');
    expect(await page.getByText('free_bytes').count()).toBeGreaterThan(0);

    await visit('/campaigns', 'Campaigns', '08-campaigns');
    await page.getByRole('link', { name: 'Laptop survey' }).waitFor();

    // The editor of an existing campaign, with its live preview (whatever the preview says about the stored version).
    await visit('/campaigns/laptop-survey/edit', /Laptop survey|Edit campaign/, '09-campaign-editor');
    await page.locator('section.preview').waitFor();
    await page.waitForTimeout(300); // the tray components render their first frame
    await shot('09-campaign-editor');

    await visit('/campaigns/laptop-survey', 'Laptop survey', '10-campaign-results');
    await page.getByRole('table', { name: 'Requests (2)' }).waitFor();
    await shot('10-campaign-results');

    await visit('/schedules', 'Schedules', '11-schedules');
    await page.getByRole('link', { name: 'Disk usage every hour' }).waitFor();
    await visit(`/schedules/${scheduleId}`, 'Disk usage every hour', '12-schedule');
    expect(await page.locator('.page-header').textContent()).toContain('runs as admin@example.com');

    // The rule's dry run in human units.
    await visit(`/detections/${ruleId}`, 'Low disk', '13-detection');
    const asked = Date.now();
    await page.getByRole('button', { name: 'Run a dry run' }).click();
    await expect.poll(() => text('dry-run')).toMatch(/1 device matches/);
    const dry = (await text('dry-run'))!;
    // the hour's cooldown began when the rule fired, between its creation and our seeing the execution; the walk to
    // this screen takes under a minute on a quiet machine (59 or 60 min left) and longer on a busy one
    const minutesLeft = [60 - Math.ceil((Date.now() - ruleCreated) / 60_000), 60 - Math.floor((asked - ruleFired) / 60_000)];
    const allowed = Array.from({ length: minutesLeft[1]! - minutesLeft[0]! + 1 }, (_, i) => minutesLeft[0]! + i);
    expect(dry).toMatch(new RegExp(`cooling down for (${allowed.join('|')}) min|1 h`));
    expect(dry).not.toMatch(/\d{3,} s\b/);
    await shot('13-detection-dry-run');

    await visit('/admin/users', 'Users', '14-users');
    await page.getByRole('row', { name: /Sam Support/ }).waitFor();
    await visit('/admin/roles', 'Roles', '15-roles');
    await page.getByRole('row', { name: /support/ }).first().waitFor();
    await visit('/admin/enrollment-tokens', 'Enrollment tokens', '16-enrollment-tokens');
    await page.getByRole('row', { name: /Paris laptops/ }).waitFor();
    await visit('/admin/webhooks', 'Webhooks', '17-webhooks');
    await page.getByRole('link', { name: 'Ticketing' }).waitFor();

    // The audit log: who did what to which object, filtered by object type, the details as a diff.
    await visit('/admin/audit', 'Audit log', '18-audit');
    await page.getByLabel('Object type').selectOption('schedule');
    await page.getByRole('button', { name: 'Filter' }).click();
    const scheduleRow = page.getByRole('row', { name: /created/ }).filter({ hasText: 'schedule: Disk usage every hour' });
    await scheduleRow.first().waitFor();
    expect(await scheduleRow.first().textContent()).toContain('admin@example.com');
    // the filtered list replaces the full one: wait until every row is about a schedule
    await expect
      .poll(async () => {
        const rows = await page.locator('table.audit tbody tr').allTextContents();
        return rows.length > 0 && rows.every((row) => row.includes('schedule'));
      })
      .toBe(true);
    expect(await page.locator('table.audit tbody').textContent()).not.toMatch(/role:|user:/);
    await shot('18-audit-schedules');
    await page.getByRole('button', { name: 'schedule: Disk usage every hour' }).first().click();
    await page.getByText('History of').waitFor();
    expect(await page.locator('table.audit .detail-added').count()).toBeGreaterThan(0);
    expect(await page.locator('table.audit tbody').textContent()).toContain('owner admin@example.com');
    // A change reads against the entry before it: the disabled schedule shows enabled yes → no.
    expect((await admin('POST', `/api/v1/schedules/${scheduleId}/disable`)).status).toBe(200);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('button', { name: 'Show all entries' }).click();
    await page.getByRole('button', { name: 'schedule: Disk usage every hour' }).first().click();
    const changed = page.locator('table.audit .detail-changed', { hasText: 'enabled' }).first();
    await changed.waitFor();
    expect(await changed.textContent()).toMatch(/enabled\s*yes\s*→\s*no/);
    await shot('18-audit-object-history');
    expect(problems).toEqual([]);
  });

  it('as a support user: devices, a device, executions, and no admin screens', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await h.signIn(page, support.email, support.password);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);

    await visit('/devices', 'Devices', '19-support-devices');
    await page.getByRole('link', { name: 'pc-ana' }).waitFor();
    await visit(`/devices/${ids['pc-ana']}`, 'pc-ana', '20-support-device');
    // Typed by the device's answer, though this user cannot open the action itself.
    await expect.poll(() => text('device-outputs')).toContain('76 GB');
    expect(await text('device-outputs')).toMatch(/scan_time\s*42 ms.*used\s*30\.2 %/);
    await page.getByTestId('launcher').waitFor();
    await page.waitForLoadState('networkidle');
    await shot('20-support-device');
    await visit('/executions', 'Executions', '21-support-executions');
    await expect.poll(() => page.getByTestId('executions').locator('tbody tr').count()).toBeGreaterThan(0);
    await page.goto('/admin/audit');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).not.toBe('Audit log');
    await shot('22-support-no-access');
    expect(problems).toEqual([]);
  });
});
