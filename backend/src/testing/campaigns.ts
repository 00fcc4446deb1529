/** @module Campaign test helpers: devices to send to, scoped roles, and a published sample campaign. */
import type { CampaignDefinitionInput, DeviceScope, Permission, Platform } from '@fixpoint/protocol';
import { sampleCampaign } from '@fixpoint/protocol/testing';
import { devices, roles } from '../db/schema';
import type { TestBackend } from './harness';

export { sampleCampaign };

export interface TestDeviceOptions {
  name?: string;
  platform?: Platform;
  tags?: string[];
  /** Reported as the `logged_in_user` fact. */
  user?: string | null;
}

/** Inserts an enrolled device and returns its id. */
export async function insertDevice(t: Pick<TestBackend, 'ctx'>, options: TestDeviceOptions = {}): Promise<string> {
  const [row] = await t.ctx.db
    .insert(devices)
    .values({
      name: options.name ?? `pc-${Math.random().toString(36).slice(2, 8)}`,
      platform: options.platform ?? 'windows',
      publicKey: 'test-key',
      tags: options.tags ?? [],
      facts: options.user === undefined ? {} : { logged_in_user: options.user },
    })
    .returning({ id: devices.id });
  return row!.id;
}

/** Creates a role (once) with these permissions and device scope; returns its name. */
export async function createScopedRole(t: TestBackend, name: string, permissions: Permission[], deviceScope: Omit<DeviceScope, 'queries'> & { queries?: string[] }): Promise<string> {
  await t.ctx.db.insert(roles).values({ name, permissions, runnableActions: [], deviceScope }).onConflictDoNothing();
  return name;
}

/** Creates and publishes a campaign as `headers` (an author); returns the created body. */
export async function publishedCampaign(t: TestBackend, headers: Record<string, string>, overrides: Partial<CampaignDefinitionInput> = {}) {
  const created = await t.call('POST', '/api/v1/campaigns', { headers, body: sampleCampaign(overrides) });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await t.call('POST', `/api/v1/campaigns/${created.body.slug}/publish`, { headers });
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  return published.body;
}
